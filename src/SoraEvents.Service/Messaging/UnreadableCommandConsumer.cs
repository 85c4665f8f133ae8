using MassTransit;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Messaging;

/// <summary>
/// Answers an unreadable <c>GenerateVideo</c> for its job: a job nobody knows yet ends at once in
/// <c>VideoFailed</c> <c>invalid_request</c> naming what was wrong, storing only the id and metadata. A job that
/// is already known is never touched by a command that could not even be read.
/// </summary>
public sealed class UnreadableCommandConsumer(IJobStore store, TerminalEvents terminal, ILogger<UnreadableCommandConsumer> logger)
    : IConsumer<UnreadableCommand>
{
    public async Task Consume(ConsumeContext<UnreadableCommand> context)
    {
        var (jobId, problems, metadata) = context.Message;
        if (await store.FindAsync(jobId, context.CancellationToken) is { } known)
        {
            logger.LogWarning("Unreadable GenerateVideo for known job {JobId} ignored; the job stays {Status}: {Reason}",
                jobId, known.Status.ToText(), string.Join(" ", problems));
            return;
        }
        logger.LogWarning("GenerateVideo for job {JobId} could not be read: {Reason}", jobId, string.Join(" ", problems));
        await terminal.FailInvalidAsync(new GenerateVideo(jobId, "", Metadata: metadata), problems, context, context.CancellationToken);
    }
}
