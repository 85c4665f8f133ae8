using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SoraEvents.Service.Tests.Deployment;

/// <summary>
/// The service started while its RabbitMQ is down (a private node, stopped before the service starts): HTTP at
/// once, one log line per reconnect attempt, ready by itself once the broker is back, and the job it accepted
/// meanwhile done.
/// </summary>
public sealed class BrokerDownAtStartTests : IAsyncLifetime
{
    private readonly PrivateRabbitMqNode node = new();
    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "soraevents-broker-down-tests", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(dataFolder);
        await node.InitializeAsync();
        await node.StopAsync();
    }

    public async Task DisposeAsync()
    {
        await node.DisposeAsync();
        try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Without_its_broker_the_service_serves_http_logs_one_line_per_attempt_and_becomes_ready_when_the_broker_starts()
    {
        var environment = ServiceRun.Basics(dataFolder);
        environment["Bus__Transport"] = "RabbitMq";
        environment["RabbitMq__Url"] = node.Amqp.AbsoluteUri;
        environment["Webhooks__PublishTimeoutSeconds"] = "1";
        environment["Bus__PublishTimeoutSeconds"] = "1";
        environment["Submission__OrphanGraceSeconds"] = "1";
        environment["Simulator__CallbackDelay"] = "00:00:00.300";
        await using var service = new ChildProcess("SoraEvents.Service.dll", environment);
        await service.StartAsync("/health/live", untilReady: false);
        using var http = new HttpClient { BaseAddress = service.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health/ready")).StatusCode);
        var accepted = await http.PostAsJsonAsync("/v1/videos", new { prompt = "a lighthouse at dusk" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var jobId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Eventually.TrueAsync(() => Task.FromResult(service.Lines.Any(IsReconnectLine)), TimeSpan.FromMinutes(2),
            "a line saying the broker could not be reached");

        await node.StartAsync();

        await Eventually.TrueAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromMinutes(3), "ready once the broker is up:\n" + service.Output);
        await Eventually.TrueAsync(
            async () => (await http.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}")).GetProperty("status").GetString() == "completed",
            TimeSpan.FromMinutes(2), $"job {jobId} accepted while the broker was down completes");
        var lines = service.Lines;
        Assert.DoesNotContain(lines, ServiceRun.IsStackTraceLine);
        Assert.DoesNotContain(lines, l => l.Contains("Retrying", StringComparison.Ordinal));
        Assert.All(lines.Where(l => l.Contains("Connection Failed", StringComparison.Ordinal)), l => Assert.True(IsReconnectLine(l), l));
    }

    private static bool IsReconnectLine(string line) =>
        line.Contains("Connection Failed", StringComparison.Ordinal) && line.Contains("reconnecting", StringComparison.Ordinal);
}
