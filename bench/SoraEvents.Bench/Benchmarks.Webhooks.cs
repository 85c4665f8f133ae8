using System.Diagnostics;
using System.Security.Cryptography;

namespace SoraEvents.Bench;

public sealed partial class Benchmarks
{
    // ------------------------------------------------------------------------------------------------------------
    // 5. Outbound webhooks

    /// <summary>
    /// Delivery latency of outbound webhooks: a fresh service (RabbitMQ, SQLite) with one endpoint, a receiver in this
    /// process; callbacks sent as in end to end (open loop, <see cref="BenchPlan.WebhookRates"/>) make the
    /// <c>VideoCompleted</c> outcomes. Latency is the receiver's arrival minus the event's <c>sentTime</c> on the bus.
    /// </summary>
    public async Task<List<WebhookResult>> WebhooksAsync()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = new Dictionary<string, string>(QuietPolling)
        {
            ["OutboundWebhooks__bench__Url"] = receiver.Url.AbsoluteUri,
            ["OutboundWebhooks__bench__Secret"] = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            // The receiver is on loopback, which the guarded client refuses unless told.
            ["OutboundWebhooks__AllowPrivateNetworks"] = "true",
        };
        var amqpUrl = await broker.CreateVirtualHostAsync();
        await using var service = await StartServiceAsync(amqpUrl, settings);
        await using var tap = await EventTap.StartAsync(amqpUrl);
        // Warm-up (not counted): the first deliveries of a fresh service pay for the JIT and the receiver's connection.
        var warmup = await OutcomesAsync(service, tap, receiver, plan.Smoke ? 10 : 50, 50);
        log.WriteLine($"[bench] webhooks: warm-up {warmup.Delivered}/{warmup.Jobs} delivered (p50 {warmup.P50Ms:0.0} ms), not counted");
        var results = new List<WebhookResult>();
        for (var r = 0; r < plan.WebhookRates.Length; r++)
        {
            var rate = plan.WebhookRates[r];
            var count = Math.Max(10, (int)Math.Round(rate * plan.WebhookSeconds[r]));
            log.WriteLine($"[bench] webhooks {rate}/s: {count} outcomes, delivered to {receiver.Url}");
            var result = await OutcomesAsync(service, tap, receiver, count, rate) with { Seconds = plan.WebhookSeconds[r] };
            results.Add(result);
            log.WriteLine($"[bench]   {result.AchievedRate:0}/s outcomes, {result.Delivered}/{result.Jobs} delivered: p50 {result.P50Ms:0.0} ms, " +
                          $"p99 {result.P99Ms:0.0} ms, max {result.MaxMs:0.0} ms; {result.Duplicates} duplicate deliveries so far");
        }
        return results;
    }

    /// <summary><paramref name="count"/> jobs created and submitted, then completed by callbacks at <paramref name="rate"/> a second; their webhooks timed.</summary>
    private async Task<WebhookResult> OutcomesAsync(ServiceUnderTest service, EventTap tap, WebhookReceiver receiver, int count, int rate)
    {
        var jobs = await service.CreateJobsAsync(count);
        await tap.WaitSubmittedAsync(jobs, TimeSpan.FromMinutes(3));
        await Task.Delay(plan.Smoke ? 200 : 1000);
        var outcomes = await PacedCallbacksAsync(service.Http, tap, jobs, rate);

        var wait = Stopwatch.StartNew();
        while (receiver.CountArrived(jobs) < outcomes.Completed && wait.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);
        var latencies = new List<double>();
        foreach (var job in jobs)
            if (tap.TryGetCompletedSentAt(job, out var sent) && receiver.TryGetArrival(job, out var arrived))
                latencies.Add((arrived - sent).TotalMilliseconds);
        return new WebhookResult(rate, count / (double)rate, outcomes.AchievedRate, jobs.Count, outcomes.Completed, latencies.Count,
            receiver.Duplicates, Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99), latencies.Count > 0 ? latencies.Max() : double.NaN);
    }
}
