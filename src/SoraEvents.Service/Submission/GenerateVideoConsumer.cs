using MassTransit;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Submission;

/// <summary>
/// Takes <see cref="GenerateVideo"/> from <c>generate-video</c>. A command for a job the store already has never
/// changes that job, however wrong it is: a stray duplicate must not end a job that runs and is paid for. Only a
/// command for an unknown job is checked; an invalid one ends its own new job at once in <see cref="VideoFailed"/>
/// (<c>invalid_request</c>), is never retried and never reaches <c>_error</c>.
/// </summary>
public sealed class GenerateVideoConsumer(
    IJobStore store, RequestChecks checks, JobSubmitter submitter, TerminalEvents terminal, ILogger<GenerateVideoConsumer> logger)
    : IConsumer<GenerateVideo>
{
    public async Task Consume(ConsumeContext<GenerateVideo> context)
    {
        var command = context.Message;
        var ct = context.CancellationToken;
        if (command.JobId != Guid.Empty && await store.FindAsync(command.JobId, ct) is { } known)
        {
            var differing = RequestDifferences.Between(known.Request, command);
            if (differing.Count > 0)
            {
                logger.LogWarning("GenerateVideo for existing job {JobId} differs from its stored request ({Fields}); ignored, the job is left as it is",
                    command.JobId, string.Join(", ", differing));
                return;
            }
            // The same command again (a redelivery or a producer's retry): the submitter picks up where the job is.
            await submitter.SubmitAsync(known.Request, context, ct);
            return;
        }

        var problems = await checks.FindProblemsAsync(command, ct);
        if (problems.Count > 0)
        {
            await terminal.FailInvalidAsync(command, problems.Values.SelectMany(m => m).ToList(), context, ct);
            return;
        }
        await submitter.SubmitAsync(command, context, ct);
    }
}
