using System.Text.Json;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Telemetry;

namespace SoraEvents.Service.OutboundWebhooks;

/// <summary>
/// Starts a delivery when a job ends (recorded first, so a crash loses nothing, then tried at once) and runs each
/// attempt: delivered, due again after <see cref="RetrySchedule"/>, or, once retrying has lasted
/// <see cref="OutboundWebhooksOptions.RetryFor"/>, sent to the endpoint's error queue.
/// </summary>
public sealed class OutboundWebhookDeliverer(
    IJobStore jobs,
    IWebhookDeliveryStore deliveries,
    WebhookSender sender,
    WebhookDeadLetters deadLetters,
    IOptions<OutboundWebhooksOptions> options,
    ServiceTelemetry telemetry,
    TimeProvider time,
    ILogger<OutboundWebhookDeliverer> logger)
{
    /// <summary>How long an attempt holds its delivery: past the attempt's timeout, so no other sweep takes it meanwhile.</summary>
    public TimeSpan Lease => options.Value.Timeout + TimeSpan.FromMinutes(1);

    public async Task StartAsync<TEvent>(WebhookEndpoint endpoint, TEvent message, Guid jobId, Guid? messageId, DateTimeOffset outcomeAt, CancellationToken ct)
        where TEvent : class
    {
        // The job (and with it its stored request, which may be megabytes) is read only when the endpoint picks callers.
        if (endpoint.Callers.Count > 0)
        {
            var caller = (await jobs.FindAsync(jobId, ct))?.Caller;
            if (!endpoint.Accepts(caller))
            {
                logger.LogDebug("Webhook endpoint {Endpoint} is not for caller {Caller}; job {JobId} not delivered there", endpoint.Name, caller, jobId);
                return;
            }
        }

        var type = message is VideoCompleted ? OutboundWebhookEvent.VideoCompleted : OutboundWebhookEvent.VideoFailed;
        var body = OutboundWebhookEvent.For(type, messageId, jobId, outcomeAt);
        var now = time.GetUtcNow();
        var delivery = await deliveries.StartDeliveryAsync(new WebhookDelivery
        {
            DeliveryKey = WebhookDelivery.KeyOf(endpoint.Name, body.Id),
            Endpoint = endpoint.Name,
            EventId = body.Id,
            JobId = jobId.ToString("D"),
            EventType = type,
            Body = body.ToJson(),
            MessageJson = JsonSerializer.Serialize(message),
            MessageId = messageId?.ToString("D"),
        }, now, now + Lease, ct);
        // Null: a redelivered bus event for a delivery already under way or done.
        if (delivery is not null) await AttemptAsync(endpoint, delivery, ct);
    }

    public async Task AttemptAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var attempt = await sender.SendAsync(endpoint, delivery.EventId, delivery.Body, ct);
        var now = time.GetUtcNow();
        if (attempt.Delivered)
        {
            await deliveries.MarkDeliveredAsync(delivery.DeliveryKey, now, CancellationToken.None);
            telemetry.WebhookAttempt(endpoint.Name, "delivered", time.GetElapsedTime(started));
            logger.LogInformation("Webhook {EventId} ({EventType}) of job {JobId} delivered to {Endpoint}",
                delivery.EventId, delivery.EventType, delivery.JobId, endpoint.Name);
            return;
        }

        var failed = delivery.Attempts + 1;
        var nextAt = now + RetrySchedule.After(failed);
        var error = attempt.Error ?? "failed";
        if (nextAt <= DateTimeOffset.FromUnixTimeMilliseconds(delivery.StartedAt) + options.Value.RetryFor)
        {
            await deliveries.MarkRetryAsync(delivery.DeliveryKey, nextAt, error, CancellationToken.None);
            telemetry.WebhookAttempt(endpoint.Name, "failed", time.GetElapsedTime(started));
            logger.LogWarning("Webhook {EventId} of job {JobId} to {Endpoint} failed ({Error}, attempt {Attempt}); next attempt at {NextAt:O}",
                delivery.EventId, delivery.JobId, endpoint.Name, error, failed, nextAt);
            return;
        }

        // Sent before the row is marked: a crash in between sends it twice, never loses it.
        await deadLetters.SendAsync(endpoint, delivery, $"{error} after {failed} attempts in {options.Value.RetryFor}", CancellationToken.None);
        await deliveries.MarkDeadAsync(delivery.DeliveryKey, error, CancellationToken.None);
        telemetry.WebhookAttempt(endpoint.Name, "exhausted", time.GetElapsedTime(started));
        logger.LogError("Webhook {EventId} of job {JobId} to {Endpoint} given up after {Attempts} attempts ({Error}); moved to {Queue}_error",
            delivery.EventId, delivery.JobId, endpoint.Name, failed, error, endpoint.Queue);
    }
}
