using MassTransit;

namespace SoraEvents.Service.Messaging;

/// <summary>On the <c>generate-video</c> queue, next to the command's own consumer, whose endpoint settings it shares.</summary>
public sealed class UnreadableCommandConsumerDefinition : ConsumerDefinition<UnreadableCommandConsumer>
{
    public UnreadableCommandConsumerDefinition() => EndpointName = CommandIntake.Queue;
}
