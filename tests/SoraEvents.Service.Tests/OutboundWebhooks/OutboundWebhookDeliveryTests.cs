using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SoraEvents.Contracts;
using SoraEvents.Service.OutboundWebhooks;

namespace SoraEvents.Service.Tests.OutboundWebhooks;

/// <summary>
/// Outbound webhooks on the embedded default (in-memory bus, SQLite) with receivers on real loopback ports. The
/// service's clock is fake: retry waits pass when the test moves it, never in real time.
/// </summary>
public sealed class OutboundWebhookDeliveryTests : IAsyncLifetime
{
    public static readonly string Secret = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());

    private readonly FakeTimeProvider clock = ServiceClock.StartingNow();
    private readonly List<IAsyncDisposable> owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Receivers first: a hanging one lets go, so the service's consumers can stop.
        foreach (var item in owned.AsEnumerable().Reverse()) await item.DisposeAsync();
    }

    private async Task<WebhookReceiver> ReceiverAsync(PortReservation? reservation = null)
    {
        var receiver = await WebhookReceiver.StartAsync(reservation);
        owned.Add(receiver);
        return receiver;
    }

    private ServiceFactory Service(Dictionary<string, Uri> endpoints, bool allowPrivate = true, Action<Dictionary<string, string?>>? more = null)
    {
        var factory = new ServiceFactory { Clock = clock };
        owned.Insert(0, factory);
        factory.Settings["OutboundWebhooks:AllowPrivateNetworks"] = allowPrivate ? "true" : "false";
        foreach (var (name, url) in endpoints)
        {
            factory.Settings[$"OutboundWebhooks:{name}:Url"] = url.AbsoluteUri;
            factory.Settings[$"OutboundWebhooks:{name}:Secret"] = Secret;
        }
        more?.Invoke(factory.Settings);
        return factory;
    }

    private static async Task<(Guid JobId, Guid MessageId, DateTimeOffset At)> CompleteAsync(ServiceFactory service)
    {
        var (jobId, messageId) = (Guid.NewGuid(), Guid.NewGuid());
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        await service.Services.GetRequiredService<IBus>().Publish(
            new VideoCompleted(jobId, "pixazo", "req-1", "https://cdn.example/v.mp4", ["https://cdn.example/v.mp4"], null, at, new Dictionary<string, string>()),
            c => c.MessageId = messageId);
        return (jobId, messageId, at);
    }

    private static Task<WebhookDelivery?> DeliveryAsync(ServiceFactory service, string endpoint, Guid jobId, Guid messageId) =>
        service.Services.GetRequiredService<IWebhookDeliveryStore>()
            .FindDeliveryAsync(WebhookDelivery.KeyOf(endpoint, OutboundWebhookEvent.IdFor(messageId, jobId)), CancellationToken.None);

    /// <summary>Moves the clock on by <paramref name="wait"/> in one step and runs a retry sweep at that moment.</summary>
    private async Task RetrySweepAtAsync(ServiceFactory service, TimeSpan wait)
    {
        clock.Advance(wait);
        await service.SweepAsync<OutboundWebhookRetrier>();
    }

    private static Task WaitForDeliveryAsync(ServiceFactory service, string endpoint, Guid jobId, Guid messageId, Func<WebhookDelivery, bool> condition, string what) =>
        Eventually.TrueAsync(async () => await DeliveryAsync(service, endpoint, jobId, messageId) is { } d && condition(d), ServiceClock.Patience, what);

    [Fact]
    public async Task Video_completed_arrives_in_openais_shape_and_verifies_with_standardwebhooks_and_the_openai_sdk()
    {
        var receiver = await ReceiverAsync();
        var service = Service(new() { ["orders"] = receiver.HookUrl });

        var (jobId, messageId, at) = await CompleteAsync(service);
        await receiver.WaitForAsync(r => r.Count == 1, "the delivery");

        var delivered = receiver.Requests[0];
        Assert.Equal($"{{\"id\":\"evt_{messageId:N}\",\"object\":\"event\",\"created_at\":{at.ToUnixTimeSeconds()},\"type\":\"video.completed\",\"data\":{{\"id\":\"{jobId}\"}}}}",
            delivered.Body);
        Assert.Equal($"evt_{messageId:N}", delivered.EventId);
        Assert.StartsWith("application/json", delivered.Headers["content-type"]);
        Assert.StartsWith("v1,", delivered.Headers["webhook-signature"]);

        var verified = await NodeWebhookVerifier.VerifyAsync(Secret, delivered.Headers, delivered.Body);
        Assert.True(verified.GetProperty("verified").GetBoolean(), verified.ToString());
        Assert.Equal("video.completed", verified.GetProperty("type").GetString());

        // The verifier can fail: one changed byte in the body and both libraries refuse it.
        var tampered = await NodeWebhookVerifier.VerifyAsync(Secret, delivered.Headers, delivered.Body.Replace(jobId.ToString(), Guid.NewGuid().ToString()));
        Assert.False(tampered.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task Video_failed_is_delivered_as_video_failed()
    {
        var receiver = await ReceiverAsync();
        var service = Service(new() { ["orders"] = receiver.HookUrl });
        var jobId = Guid.NewGuid();

        await service.Services.GetRequiredService<IBus>().Publish(new VideoFailed(jobId, "apixo", null, VideoFailureCodes.ProviderRejected,
            "refused", DateTimeOffset.UtcNow, new Dictionary<string, string>()));

        await receiver.WaitForAsync(r => r.Count == 1, "the delivery");
        var body = JsonDocument.Parse(receiver.Requests[0].Body).RootElement;
        Assert.Equal("video.failed", body.GetProperty("type").GetString());
        Assert.Equal(jobId.ToString(), body.GetProperty("data").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_receiver_answering_503_then_200_gets_the_same_event_id_twice_the_retry_within_5_seconds()
    {
        var receiver = await ReceiverAsync();
        receiver.Answer = (n, _) => Task.FromResult(n == 1 ? 503 : 200);
        var service = Service(new() { ["orders"] = receiver.HookUrl });

        var (jobId, messageId, _) = await CompleteAsync(service);
        await receiver.WaitForAsync(r => r.Count == 1, "the first attempt");
        await WaitForDeliveryAsync(service, "orders", jobId, messageId, d => d.Attempts == 1, "the failed first attempt recorded");
        // The clock moves to the retry's due time and stays there while the sweep works: stepping it on meanwhile
        // would let a slow sweep on a loaded machine send the retry at a later fake time than the one it was due.
        await RetrySweepAtAsync(service, TimeSpan.FromSeconds(5));
        await receiver.WaitForAsync(r => r.Count >= 2, "the retry");

        var (first, second) = (receiver.Requests[0], receiver.Requests[1]);
        Assert.Equal(first.EventId, second.EventId);
        Assert.Equal(first.Body, second.Body);
        var waited = long.Parse(second.Headers["webhook-timestamp"]) - long.Parse(first.Headers["webhook-timestamp"]);
        Assert.InRange(waited, 4, 6);
        await WaitForDeliveryAsync(service, "orders", jobId, messageId, d => d.State == WebhookDelivery.Delivered && d.Attempts == 2, "delivered on the second attempt");
    }

    [Fact]
    public async Task A_receiver_down_for_a_while_gets_every_event_once_it_is_back()
    {
        var port = new PortReservation(); // bound, not listening: connections are refused
        var service = Service(new() { ["orders"] = new Uri(port.BaseUrl, "hook") });
        var outcomes = new List<(Guid JobId, Guid MessageId, DateTimeOffset At)>();
        for (var i = 0; i < 3; i++) outcomes.Add(await CompleteAsync(service));
        // Refused at once, then again 5 s, 30 s and 2 min later: each wait is passed in one move, and the clock stands
        // still until the sweep has recorded every refusal, so no lease runs out under an attempt still in flight.
        var attempts = 1;
        foreach (var wait in new[] { TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2) })
        {
            if (wait > TimeSpan.Zero) await RetrySweepAtAsync(service, wait);
            foreach (var (jobId, messageId, _) in outcomes)
                await WaitForDeliveryAsync(service, "orders", jobId, messageId, d => d.Attempts >= attempts && d.LastError is not null, $"refused attempt {attempts}");
            attempts++;
        }

        var receiver = await ReceiverAsync(port);
        await RetrySweepAtAsync(service, TimeSpan.FromMinutes(10));
        await receiver.WaitForAsync(r => r.Count >= 3, "every event once the receiver is back");

        Assert.Equal(outcomes.Select(o => OutboundWebhookEvent.IdFor(o.MessageId, o.JobId)).Order(), receiver.Requests.Select(r => r.EventId).Order());
        foreach (var (jobId, messageId, _) in outcomes)
            await WaitForDeliveryAsync(service, "orders", jobId, messageId, d => d.State == WebhookDelivery.Delivered, "recorded as delivered");
        await service.SweepAsync<OutboundWebhookRetrier>();
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task A_hanging_receiver_delays_no_other_endpoint()
    {
        var slow = await ReceiverAsync();
        slow.Answer = async (_, ct) => { await slow.HangAsync(ct); return 200; };
        var fast = await ReceiverAsync();
        var service = Service(new() { ["slow"] = slow.HookUrl, ["fast"] = fast.HookUrl });

        var first = await CompleteAsync(service);
        await slow.WaitForAsync(r => r.Count >= 1, "the slow receiver holding the first event");
        await fast.WaitForAsync(r => r.Count == 1, "the fast receiver's first event");
        var second = await CompleteAsync(service);
        await fast.WaitForAsync(r => r.Count == 2, "the fast receiver's second event while the slow one still hangs");

        Assert.Equal(WebhookDelivery.Pending, (await DeliveryAsync(service, "slow", first.JobId, first.MessageId))!.State);
        Assert.Equal(WebhookDelivery.Delivered, (await DeliveryAsync(service, "fast", second.JobId, second.MessageId))!.State);
    }

    [Fact]
    public async Task A_private_destination_is_refused_by_default()
    {
        var receiver = await ReceiverAsync();
        var service = Service(new() { ["orders"] = receiver.HookUrl }, allowPrivate: false);

        var (jobId, messageId, _) = await CompleteAsync(service);

        await WaitForDeliveryAsync(service, "orders", jobId, messageId, d => d.Attempts == 1, "the refused attempt");
        var delivery = await DeliveryAsync(service, "orders", jobId, messageId);
        Assert.Contains("OutboundWebhooks__AllowPrivateNetworks", delivery!.LastError);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_redirect_is_not_followed()
    {
        var receiver = await ReceiverAsync();
        var service = Service(new() { ["orders"] = receiver.RedirectUrl });

        var (jobId, messageId, _) = await CompleteAsync(service);

        await WaitForDeliveryAsync(service, "orders", jobId, messageId, d => d.Attempts == 1, "the redirected attempt");
        Assert.Equal("answered 307", (await DeliveryAsync(service, "orders", jobId, messageId))!.LastError);
        Assert.Equal(1, receiver.Redirects);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task An_endpoint_limited_to_callers_gets_no_bus_job()
    {
        var all = await ReceiverAsync();
        var ordersOnly = await ReceiverAsync();
        var service = Service(new() { ["all"] = all.HookUrl, ["ordersonly"] = ordersOnly.HookUrl },
            more: s => s["OutboundWebhooks:ordersonly:Callers"] = "orders,billing");

        var (jobId, _, _) = await CompleteAsync(service);

        await all.WaitForAsync(r => r.Count == 1, "the unrestricted endpoint's delivery");
        await Eventually.TrueAsync(() => Task.FromResult(service.Logs.Mentioning("is not for caller").Any(l => l.Contains(jobId.ToString()))),
            ServiceClock.Patience, "the restricted endpoint passing over the bus job");
        Assert.Empty(ordersOnly.Requests);
        Assert.Equal(["orders", "billing"], service.Services.GetRequiredService<IOptions<OutboundWebhooksOptions>>().Value.Endpoints.Single(e => e.Name == "ordersonly").Callers);
    }

    [Fact]
    public async Task An_exhausted_delivery_stops_being_retried()
    {
        var receiver = await ReceiverAsync();
        receiver.Answer = (_, _) => Task.FromResult(503);
        var service = Service(new() { ["orders"] = receiver.HookUrl }, more: s => s["OutboundWebhooks:RetryFor"] = "00:00:30");

        var (jobId, messageId, _) = await CompleteAsync(service);
        await receiver.WaitForAsync(r => r.Count == 1, "the first attempt");
        await WaitForDeliveryAsync(service, "orders", jobId, messageId, d => d.Attempts == 1, "the failed first attempt recorded");
        // 0 s and 5 s fit in 30 s; the next wait (30 s) would end after it.
        await clock.AdvanceUntilAsync(TimeSpan.FromSeconds(1), async () => (await DeliveryAsync(service, "orders", jobId, messageId))!.State == WebhookDelivery.Dead,
            "the delivery given up");
        await clock.AdvanceByAsync(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10));
        await service.SweepAsync<OutboundWebhookRetrier>();

        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(2, (await DeliveryAsync(service, "orders", jobId, messageId))!.Attempts);
    }

    [Theory]
    [InlineData("Url", "ftp://example.com/hook", "OutboundWebhooks__orders__Url must be an absolute http or https URL.")]
    [InlineData("Secret", "not-a-secret", "OutboundWebhooks__orders__Secret must be a Standard Webhooks secret")]
    public async Task A_bad_endpoint_stops_the_start_with_one_line_naming_the_setting(string setting, string value, string expected)
    {
        var service = Service(new() { ["orders"] = new Uri("https://example.com/hook") }, more: s => s[$"OutboundWebhooks:orders:{setting}"] = value);

        var error = Assert.ThrowsAny<Exception>(() => service.Services);

        var validation = Assert.IsType<OptionsValidationException>(error is AggregateException a ? a.InnerExceptions.Single() : error);
        Assert.Contains(expected, Assert.Single(validation.Failures));
        Assert.DoesNotContain(OutboundWebhookDeliveryTests.Secret, validation.Message);
        await Task.CompletedTask;
    }
}
