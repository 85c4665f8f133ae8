using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Integration;

/// <summary>
/// The broker refusing publishers (a memory alarm on this collection's own node): the webhook still answers within
/// its documented bound, readiness says why, and both recover by themselves once the alarm clears.
/// </summary>
[Collection(BrokerFaultCollection.Name)]
public sealed class BlockedBrokerTests(PrivateRabbitMqNode broker) : IAsyncLifetime
{
    private const double PublishTimeoutSeconds = 3;

    private LiveService live = null!;

    public async Task InitializeAsync() => live = await LiveService.StartAsync(broker, new Dictionary<string, string?>
    {
        ["Webhooks:PublishTimeoutSeconds"] = PublishTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Bus:PublishTimeoutSeconds"] = PublishTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // Only the callback may end the job, so its completion proves the callback got through after the alarm.
        ["Providers:Pixazo:PollAfterSeconds"] = "3600",
    });

    public async Task DisposeAsync()
    {
        await ClearAlarmAsync(); // whatever happened, the next test gets a node that accepts publishers
        await live.DisposeAsync();
    }

    private Task ClearAlarmAsync() => broker.CtlAsync("set_vm_memory_high_watermark", "0.4");

    private async Task<HttpResponseMessage> CallbackAsync(Guid jobId)
    {
        var token = live.Factory.Services.GetRequiredService<CallbackTokens>().Create("pixazo", jobId);
        var body = $$"""{"id":"video_{{jobId:N}}","status":"completed","model":"sora-2-pro","video_url":"https://cdn.test/{{jobId}}.mp4"}""";
        return await live.Client.PostAsync($"/webhooks/pixazo/{jobId}?token={token}", new StringContent(body, Encoding.UTF8, "application/json"));
    }

    [Fact]
    public async Task Memory_alarm_gets_503_within_the_publish_timeout_and_readiness_says_so_until_it_clears()
    {
        var jobId = await live.PostVideoAsync(new { prompt = "[sim:nocallback] while the broker is short of memory" });
        await live.Events.WaitForAsync(jobId, "VideoSubmitted");

        await broker.CtlAsync("set_vm_memory_high_watermark", "0");
        await Eventually.TrueAsync(async () => (await broker.CtlAsync("eval", "rabbit_alarm:get_alarms().")).Contains("memory"),
            TimeSpan.FromSeconds(30), "the node's memory alarm");

        var bound = TimeSpan.FromSeconds(PublishTimeoutSeconds + 0.5); // the documented bound, plus the HTTP round trip
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var clock = Stopwatch.StartNew();
            using var refused = await CallbackAsync(jobId);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(clock.Elapsed < bound, $"callback {attempt + 1} answered 503 after {clock.Elapsed.TotalSeconds:0.00} s");
            Assert.NotNull(refused.Headers.RetryAfter);
        }
        var post = Stopwatch.StartNew();
        using (var accepted = await live.Client.PostAsJsonAsync("/v1/videos", new { prompt = "while publishers are blocked" }))
            Assert.True(post.Elapsed < bound, $"POST /v1/videos answered {(int)accepted.StatusCode} after {post.Elapsed.TotalSeconds:0.00} s");
        using (var ready = await live.Client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var report = await ready.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            var check = report.GetProperty("checks").GetProperty("broker-flow");
            Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
            Assert.Contains("blocks publishers", check.GetProperty("description").GetString());
        }

        await ClearAlarmAsync();
        await Eventually.TrueAsync(async () =>
        {
            using var retry = await CallbackAsync(jobId);
            return retry.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60), "the webhook answering 200 again");
        await live.Events.WaitForAsync(jobId, "VideoCompleted", TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () =>
        {
            using var ready = await live.Client.GetAsync("/health/ready");
            return ready.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60), "/health/ready answering 200 again");
    }
}
