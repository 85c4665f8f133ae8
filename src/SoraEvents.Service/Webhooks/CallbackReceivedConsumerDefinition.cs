using MassTransit;
using Microsoft.Extensions.Options;

namespace SoraEvents.Service.Webhooks;

public sealed class CallbackReceivedConsumerDefinition : ConsumerDefinition<CallbackReceivedConsumer>
{
    public CallbackReceivedConsumerDefinition(IOptions<WebhookOptions> options)
    {
        EndpointName = "callback-received";
        // Callbacks are safe in the broker the moment they are acknowledged, so they may be worked off at a
        // bounded pace; measured in docs/benchmarks.md, it is off unless configured.
        if (options.Value.ConsumerConcurrency is { } limit) ConcurrentMessageLimit = limit;
    }

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
