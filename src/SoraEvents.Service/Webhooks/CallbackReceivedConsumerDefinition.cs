using MassTransit;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Webhooks;

public sealed class CallbackReceivedConsumerDefinition : ConsumerDefinition<CallbackReceivedConsumer>
{
    /// <summary>The queue stored callbacks wait in; on RabbitMQ the webhook publishes straight into it.</summary>
    public const string Queue = BusQueues.CallbackReceived;

    public CallbackReceivedConsumerDefinition(IOptions<WebhookOptions> options)
    {
        EndpointName = Queue;
        // Callbacks are safe in the broker the moment they are acknowledged, so they may be worked off at a
        // bounded pace; measured in docs/benchmarks.md, it is off unless configured.
        if (options.Value.ConsumerConcurrency is { } limit) ConcurrentMessageLimit = limit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CallbackReceivedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // On RabbitMQ the webhook writes bare JSON (RabbitMqCallbackInbox); the in-memory bus still sends envelopes.
        endpointConfigurator.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: false);
        // Status queries and store writes fail transiently; the callback itself is durable, so retrying is safe.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(
            TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)));
    }
}
