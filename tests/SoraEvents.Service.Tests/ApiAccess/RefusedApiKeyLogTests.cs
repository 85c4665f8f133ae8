using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SoraEvents.Service.ApiAccess;

namespace SoraEvents.Service.Tests.ApiAccess;

public sealed class RefusedApiKeyLogTests
{
    [Fact]
    public void Refusals_cost_one_line_per_interval_which_counts_the_ones_not_logged()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T10:00:00Z"));
        var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(logs));
        var log = new RefusedApiKeyLog(clock, loggers.CreateLogger<RefusedApiKeyLog>());

        for (var i = 0; i < 1000; i++) log.Refused("unknown API key");
        Assert.Single(logs.Mentioning("API request refused"));

        clock.Advance(RefusedApiKeyLog.Interval);
        log.Refused("no API key");

        var lines = logs.Mentioning("API request refused");
        Assert.Equal(2, lines.Count);
        Assert.Contains("no API key; 999 more refused since the last such line", lines[1]);
    }
}
