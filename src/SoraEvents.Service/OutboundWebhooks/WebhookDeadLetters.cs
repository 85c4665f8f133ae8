using System.Globalization;
using System.Text.Json;
using MassTransit;
using SoraEvents.Contracts;

namespace SoraEvents.Service.OutboundWebhooks;

/// <summary>
/// Puts an exhausted delivery's bus event in its endpoint's <c>_error</c> queue the way MassTransit puts a faulted
/// message there (same MessageId, <c>MT-Fault-*</c> headers), so <c>soraevents dlq list</c> shows it and
/// <c>soraevents dlq replay</c> sends it back to the endpoint's consumer, which delivers it afresh.
/// </summary>
public sealed class WebhookDeadLetters(IBus bus, TimeProvider time)
{
    public async Task SendAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, string reason, CancellationToken ct)
    {
        var target = await bus.GetSendEndpoint(new Uri($"queue:{endpoint.Queue}_error"));
        if (delivery.EventType == OutboundWebhookEvent.VideoCompleted)
            await target.Send(JsonSerializer.Deserialize<VideoCompleted>(delivery.MessageJson)!, c => Describe(c, endpoint, delivery, reason), ct);
        else
            await target.Send(JsonSerializer.Deserialize<VideoFailed>(delivery.MessageJson)!, c => Describe(c, endpoint, delivery, reason), ct);
    }

    private void Describe(SendContext context, WebhookEndpoint endpoint, WebhookDelivery delivery, string reason)
    {
        if (Guid.TryParse(delivery.MessageId, out var id)) context.MessageId = id;
        context.Headers.Set("MT-Reason", "fault");
        context.Headers.Set("MT-Fault-ExceptionType", typeof(WebhookDeliveryExhaustedException).FullName);
        context.Headers.Set("MT-Fault-Message", $"webhook {delivery.EventId} to endpoint {endpoint.Name}: {reason}");
        context.Headers.Set("MT-Fault-Timestamp", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        context.Headers.Set("MT-Fault-InputAddress", new Uri(bus.Address, endpoint.Queue).AbsoluteUri);
        context.Headers.Set("MT-Fault-ConsumerType", typeof(OutboundWebhookConsumer).FullName);
    }
}

/// <summary>Named in the fault headers of an exhausted delivery; never thrown.</summary>
public sealed class WebhookDeliveryExhaustedException(string message) : Exception(message);
