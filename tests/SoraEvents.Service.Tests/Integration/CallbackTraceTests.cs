using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Service.Telemetry;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Integration;

/// <summary>A callback's trace runs from the gateway's request through the broker into the consumer.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class CallbackTraceTests(RabbitMqFixture broker)
{
    [Fact]
    public async Task Callback_consumer_continues_the_trace_of_the_webhook_request()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "MassTransit" or ServiceTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId) spans.Enqueue(activity);
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var live = await LiveService.StartAsync(broker, new Dictionary<string, string?> { ["Providers:Pixazo:PollAfterSeconds"] = "3600" });
        var jobId = await live.PostVideoAsync(new { prompt = "[sim:nocallback] traced" });
        await live.Events.WaitForAsync(jobId, "VideoSubmitted");

        var token = live.Factory.Services.GetRequiredService<CallbackTokens>().Create("pixazo", jobId);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/pixazo/{jobId}?token={token}")
        {
            Content = new StringContent(
                $$"""{"id":"video_{{jobId:N}}","status":"completed","model":"sora-2-pro","video_url":"https://cdn.test/{{jobId}}.mp4"}""",
                Encoding.UTF8, "application/json"),
        };
        // As a gateway that traces its own calls would send it.
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await live.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await live.Events.WaitForAsync(jobId, "VideoCompleted");

        await Eventually.TrueAsync(() => Task.FromResult(spans.Any(s => s.OperationName == "callback")),
            TimeSpan.FromSeconds(30), "the consumer's callback span in the request's trace");
        var callback = spans.First(s => s.OperationName == "callback");
        Assert.Equal(jobId, callback.GetTagItem("soraevents.job_id"));
    }
}
