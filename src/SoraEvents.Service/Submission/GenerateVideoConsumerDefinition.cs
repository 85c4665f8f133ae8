using MassTransit;
using Microsoft.Extensions.Options;

namespace SoraEvents.Service.Submission;

public sealed class GenerateVideoConsumerDefinition : ConsumerDefinition<GenerateVideoConsumer>
{
    private readonly SubmissionOptions options;

    public GenerateVideoConsumerDefinition(IOptions<SubmissionOptions> options)
    {
        this.options = options.Value;
        EndpointName = "generate-video";
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<GenerateVideoConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // Services in other languages may send the bare command as application/json, without the envelope.
        endpointConfigurator.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: false);
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Intervals(options.RetryDelays());
            // A body that cannot be read will never be readable: straight to _error, no retry storm.
            r.Ignore<System.Text.Json.JsonException>();
            r.Ignore<FluentValidation.ValidationException>();
        });
    }
}
