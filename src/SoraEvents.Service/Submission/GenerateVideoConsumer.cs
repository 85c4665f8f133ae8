using MassTransit;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Submission;

/// <summary>
/// Takes <see cref="GenerateVideo"/> from <c>generate-video</c>. An invalid command ends at once in
/// <see cref="VideoFailed"/> (<c>invalid_request</c>); it is never retried and never reaches <c>_error</c>.
/// </summary>
public sealed class GenerateVideoConsumer(RequestChecks checks, JobSubmitter submitter, TerminalEvents terminal)
    : IConsumer<GenerateVideo>
{
    public async Task Consume(ConsumeContext<GenerateVideo> context)
    {
        var command = context.Message;
        var problems = await checks.FindProblemsAsync(command, context.CancellationToken);
        if (problems.Count > 0)
        {
            await terminal.FailInvalidAsync(command, problems.Values.SelectMany(m => m).ToList(), context, context.CancellationToken);
            return;
        }
        await submitter.SubmitAsync(command, context, context.CancellationToken);
    }
}
