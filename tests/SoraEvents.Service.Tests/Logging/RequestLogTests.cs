using System.Text.Json;

namespace SoraEvents.Service.Tests.Logging;

/// <summary>
/// The real service process with JSON logs and ASP.NET Core's categories at Information, as an operator who wants
/// to see requests would set them: each request is one line, health probes are none, and every line is compact JSON.
/// </summary>
public sealed class RequestLogTests : IAsyncLifetime
{
    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "soraevents-request-log-test", Guid.NewGuid().ToString("N"));
    private ChildProcess service = null!;

    public async Task InitializeAsync()
    {
        service = new ChildProcess("SoraEvents.Service.dll", new Dictionary<string, string>
        {
            ["Logging__Format"] = "json",
            ["Serilog__MinimumLevel__Override__Microsoft.AspNetCore"] = "Information",
            ["Store__ConnectionString"] = $"Data Source={Path.Combine(dataFolder, "jobs.db")}",
            ["Webhooks__SigningKeyFile"] = Path.Combine(dataFolder, "signing.key"),
        });
        await service.StartAsync("/health/live");
    }

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Each_request_is_one_json_line_and_health_probes_are_none()
    {
        using var http = new HttpClient { BaseAddress = service.BaseUrl };
        var first = $"/v1/videos/{Guid.NewGuid()}";
        var second = $"/v1/videos/{Guid.NewGuid()}";
        await http.GetAsync(first);
        await http.GetAsync("/health/live");
        await http.GetAsync(second);
        // Whatever the first request logged came before the second request's line.
        await Eventually.TrueAsync(() => Task.FromResult(service.Lines.Any(l => l.Contains(second, StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30), $"the second request's line\n{service.Output}");

        // Our own code logs nothing for an unknown id, so a second line naming the path would be ASP.NET Core's own.
        var line = Assert.Single(service.Lines, l => l.Contains(first, StringComparison.Ordinal));
        var request = JsonDocument.Parse(line).RootElement;
        Assert.Equal("GET", request.GetProperty("RequestMethod").GetString());
        Assert.Equal(first, request.GetProperty("RequestPath").GetString());
        Assert.Equal(404, request.GetProperty("StatusCode").GetInt32());
        Assert.DoesNotContain(service.Lines, l => l.Contains("/health/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_line_is_compact_json_with_a_timestamp_and_the_rendered_message()
    {
        using var http = new HttpClient { BaseAddress = service.BaseUrl };
        var path = $"/v1/videos/{Guid.NewGuid()}";
        await http.GetAsync(path);
        await Eventually.TrueAsync(() => Task.FromResult(service.Lines.Any(l => l.Contains(path, StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30), $"the request's line\n{service.Output}");

        Assert.All(service.Lines.Where(l => l.Length > 0), l =>
        {
            var logEvent = JsonDocument.Parse(l).RootElement;
            Assert.True(DateTimeOffset.TryParse(logEvent.GetProperty("@t").GetString(), out _), l);
            Assert.False(string.IsNullOrEmpty(logEvent.GetProperty("@m").GetString()), l);
        });
    }
}
