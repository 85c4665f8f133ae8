using System.Text.Json;

namespace SoraEvents.Service.Tests.Logging;

/// <summary>
/// The real service process with JSON logs and ASP.NET Core's categories at Information, as an operator who wants
/// to see requests would set them: each request is one line, health probes are none, refused requests are none, and
/// every line is compact JSON.
/// </summary>
public sealed class RequestLogTests : IAsyncLifetime
{
    private static readonly string Key = $"sk-request-log-{Guid.NewGuid():N}";
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
            ["Api__Keys__orders"] = Key,
        });
        await service.StartAsync("/health/live");
    }

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
    }

    private HttpClient Client(string key = "")
    {
        var http = new HttpClient { BaseAddress = service.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", key.Length > 0 ? key : Key);
        return http;
    }

    [Fact]
    public async Task A_flood_of_refused_requests_writes_no_line_each()
    {
        using (var stranger = Client("sk-not-ours"))
            for (var i = 0; i < 50; i++) await stranger.GetAsync($"/v1/videos/{Guid.NewGuid()}?refused={i}");
        var marker = $"/v1/videos/{Guid.NewGuid()}";
        using (var caller = Client()) await caller.GetAsync(marker);
        await Eventually.TrueAsync(() => Task.FromResult(service.Lines.Any(l => l.Contains(marker, StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30), $"the known caller's request line\n{service.Output}");

        Assert.DoesNotContain(service.Lines, l => l.Contains("refused=", StringComparison.Ordinal));
        Assert.InRange(service.Lines.Count(l => l.Contains("API request refused", StringComparison.Ordinal)), 1, 2);
    }

    [Fact]
    public async Task Each_request_is_one_json_line_and_health_probes_are_none()
    {
        using var http = Client();
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
        using var http = Client();
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
