using Microsoft.Extensions.Options;
using SoraEvents.Service.Messaging;

namespace SoraEvents.Service.Webhooks;

/// <summary>The callback published through MassTransit: the in-memory transport of the embedded default.</summary>
public sealed class BusCallbackInbox(BoundedPublisher publisher, IOptions<WebhookOptions> options) : ICallbackInbox
{
    public Task<bool> TryAcceptAsync(CallbackReceived callback, CancellationToken ct) =>
        publisher.TryPublishAsync(callback, TimeSpan.FromSeconds(options.Value.PublishTimeoutSeconds), ct);
}
