using MassTransit;
using SoraEvents.Contracts;

namespace SoraEvents.Service.OutboundWebhooks;

/// <summary>
/// Turns each terminal event into a webhook delivery for one endpoint. One instance per endpoint's own queue, so a
/// receiver that hangs holds back only its own queue: never the bus, never another endpoint.
/// </summary>
public sealed class OutboundWebhookConsumer(WebhookEndpoint endpoint, OutboundWebhookDeliverer deliverer)
    : IConsumer<VideoCompleted>, IConsumer<VideoFailed>
{
    public Task Consume(ConsumeContext<VideoCompleted> context) =>
        deliverer.StartAsync(endpoint, context.Message, context.Message.JobId, context.MessageId, context.Message.CompletedAt, context.CancellationToken);

    public Task Consume(ConsumeContext<VideoFailed> context) =>
        deliverer.StartAsync(endpoint, context.Message, context.Message.JobId, context.MessageId, context.Message.FailedAt, context.CancellationToken);
}
