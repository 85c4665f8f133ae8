using MassTransit;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;
using SoraEvents.Service.Messaging;

namespace SoraEvents.Service.Submission;

public sealed class GenerateVideoConsumerDefinition : ConsumerDefinition<GenerateVideoConsumer>
{
    private readonly SubmissionOptions options;

    public GenerateVideoConsumerDefinition(IOptions<SubmissionOptions> options)
    {
        this.options = options.Value;
        EndpointName = BusQueues.GenerateVideo;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<GenerateVideoConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // Services in other languages may send the bare command as application/json, without the envelope; a
        // command that cannot be read is answered for its job (Messaging/CommandDeserializer).
        endpointConfigurator.UseGenerateVideoIntake();
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Intervals(options.RetryDelays());
            // The submitter already retried the gateway and failed over; what is left is for an operator.
            r.Ignore<Providers.GatewayUnavailableException>();
            // A body that cannot be read will never be readable: straight to _error, no retry storm.
            r.Ignore<System.Text.Json.JsonException>();
        });
    }
}
