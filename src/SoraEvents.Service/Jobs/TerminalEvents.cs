using MassTransit;
using SoraEvents.Contracts;
using SoraEvents.Service.Telemetry;

namespace SoraEvents.Service.Jobs;

/// <summary>
/// Ends jobs and publishes their one terminal event. The event is built from the stored job and sent with the
/// MessageId stored when the job ended, so a re-publication after a crash is the same message, byte for byte.
/// Ending a job costs one store commit (ending, last attempt and publish lease together) plus a share of a
/// "published" mark written with those of other publishers finishing at the same moment.
/// </summary>
public sealed class TerminalEvents(
    IJobStore store,
    PublishedMarks published,
    ServiceTelemetry telemetry,
    TimeProvider time,
    ILogger<TerminalEvents> logger)
{
    /// <summary>How long one publisher holds the right to publish before another may take over.</summary>
    public static readonly TimeSpan PublishLease = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Ends the job (unless it already ended) and makes sure its terminal event is published. True when this
    /// call ended the job.
    /// </summary>
    public async Task<bool> FinishAsync(Guid jobId, JobEnding ending, IPublishEndpoint publish, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // The caller that ends the job holds the publish lease from the same commit, so no one else can publish
        // the event meanwhile, and the row it returns is what the event is built from.
        var ended = await store.TryEndAsync(jobId, ending, NewId.NextGuid(), now, now + PublishLease, ct);
        if (ended is null)
        {
            logger.LogDebug("Job {JobId} had already ended; {Status} from {Provider} ignored", jobId, ending.Status.ToText(), ending.Provider);
            await PublishIfDueAsync(jobId, publish, ct);
            return false;
        }
        logger.LogInformation("Job {JobId} {Status} on {Provider}", jobId, ending.Status.ToText(), ending.Provider);
        telemetry.JobEnded(ending.Status.ToText(), ending.Provider, ending.ErrorCode);
        await PublishLeasedAsync(ended, publish, ct);
        return true;
    }

    /// <summary>
    /// Ends the new job of a command that broke the rules. A command without a usable job id cannot be stored,
    /// so its failure is published straight away. Should another command have created a job under the same id
    /// in the meantime, that job is not this command's to end: it is left as it is.
    /// </summary>
    public async Task FailInvalidAsync(GenerateVideo command, IReadOnlyList<string> reasons, IPublishEndpoint publish, CancellationToken ct)
    {
        var reason = string.Join(Environment.NewLine, reasons);
        if (command.JobId == Guid.Empty)
        {
            logger.LogWarning("Refused a GenerateVideo without a job id: {Reason}", reason);
            await publish.Publish(new VideoFailed(command.JobId, null, null, VideoFailureCodes.InvalidRequest, reason,
                time.GetUtcNow(), command.Metadata ?? new Dictionary<string, string>()), ct);
            return;
        }

        // A refused job needs only its id and metadata; its prompt and image may be megabytes no one will read.
        var refused = command with { Prompt = "", Image = null };
        var job = await store.CreateIfAbsentAsync(refused, time.GetUtcNow(), ct);
        if (job.Status is JobStatus.Submitting or JobStatus.Submitted || RequestDifferences.Between(job.Request, refused).Count > 0)
        {
            logger.LogWarning("Invalid GenerateVideo for job {JobId} met a job another command created under that id; that job is left as it is", command.JobId);
            return;
        }
        await FinishAsync(command.JobId, JobEnding.Failed(null, null, VideoFailureCodes.InvalidRequest, reason), publish, ct);
    }

    /// <summary>Publishes the terminal event of an ended job unless it was published already or someone is publishing it.</summary>
    public async Task PublishIfDueAsync(Guid jobId, IPublishEndpoint publish, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!await store.TryLeaseTerminalPublishAsync(jobId, now, now + PublishLease, ct)) return;
        Job job;
        try
        {
            job = await store.FindAsync(jobId, ct) ?? throw new InvalidOperationException($"Job {jobId} vanished.");
        }
        catch
        {
            await store.ReleaseTerminalPublishAsync(jobId, CancellationToken.None);
            throw;
        }
        await PublishLeasedAsync(job, publish, ct);
    }

    /// <summary>Publishes the event of an ended job whose publish lease the caller holds, then marks it published.</summary>
    private async Task PublishLeasedAsync(Job job, IPublishEndpoint publish, CancellationToken ct)
    {
        try
        {
            var messageId = job.TerminalMessageId ?? throw new InvalidOperationException($"Job {job.JobId} ended without a message id.");
            if (job.Status == JobStatus.Completed)
                await publish.Publish(Completed(job), c => c.MessageId = messageId, ct);
            else
                await publish.Publish(Failed(job), c => c.MessageId = messageId, ct);
        }
        catch
        {
            // Hand the lease back at once so the redelivery of this message can publish without waiting it out.
            await store.ReleaseTerminalPublishAsync(job.JobId, CancellationToken.None);
            throw;
        }
        await published.MarkAsync(job.JobId);
    }

    private static VideoCompleted Completed(Job job) => new(
        job.JobId, job.Provider!, job.ProviderRequestId ?? "", job.VideoUrls[0], job.VideoUrls,
        job.ExpiresAt, job.FinishedAt!.Value, job.Metadata, job.ArchivedLocation);

    private static VideoFailed Failed(Job job) => new(
        job.JobId, job.Provider, job.ProviderRequestId, job.ErrorCode!, job.ErrorReason ?? "",
        job.FinishedAt!.Value, job.Metadata);
}
