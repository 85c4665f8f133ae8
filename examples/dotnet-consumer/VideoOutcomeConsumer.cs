using MassTransit;
using SoraEvents.Contracts;

namespace SoraEventsConsumer;

/// <summary>
/// Both terminal events on one queue (<c>dotnet-consumer-example-video-outcome</c>), bound to the exchanges
/// <c>SoraEvents.Contracts:VideoCompleted</c> and <c>SoraEvents.Contracts:VideoFailed</c>.
/// </summary>
public sealed class VideoOutcomeConsumer(VideoOutcomes outcomes) : IConsumer<VideoCompleted>, IConsumer<VideoFailed>
{
    public Task Consume(ConsumeContext<VideoCompleted> context) => Ended(context.Message.JobId, context.Message);

    public Task Consume(ConsumeContext<VideoFailed> context) => Ended(context.Message.JobId, context.Message);

    private Task Ended(Guid jobId, object outcome)
    {
        outcomes.Ended(jobId, outcome);
        return Task.CompletedTask;
    }
}
