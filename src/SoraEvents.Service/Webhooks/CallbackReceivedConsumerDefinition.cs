using MassTransit;

namespace SoraEvents.Service.Webhooks;

public sealed class CallbackReceivedConsumerDefinition : ConsumerDefinition<CallbackReceivedConsumer>
{
    public CallbackReceivedConsumerDefinition() => EndpointName = "callback-received";

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CallbackReceivedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // Status queries and store writes fail transiently; the callback itself is durable, so retrying is safe.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(
            TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)));
    }
}
