using SoraEvents.Contracts;

namespace SoraEvents.Service.Jobs;

/// <summary>
/// Durable job state. Every state change is one conditional update, so concurrent consumers, redeliveries and
/// duplicate callbacks cannot move a job backwards or end it twice.
/// </summary>
public interface IJobStore
{
    /// <summary>Creates the schema when it does not exist yet.</summary>
    Task InitializeAsync(CancellationToken ct);

    /// <summary>Records a new job as <see cref="JobStatus.Queued"/>, or returns the job already stored under that id.</summary>
    Task<Job> CreateIfAbsentAsync(GenerateVideo request, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// As <see cref="CreateIfAbsentAsync(GenerateVideo, DateTimeOffset, CancellationToken)"/>, with the new job due for
    /// the dispatcher at <paramref name="dueAt"/> in the same statement: once stored, the job is certain to run.
    /// </summary>
    Task<Job> CreateIfAbsentAsync(GenerateVideo request, DateTimeOffset now, DateTimeOffset dueAt, CancellationToken ct);

    /// <summary>
    /// As <see cref="CreateIfAbsentAsync(GenerateVideo, DateTimeOffset, DateTimeOffset, CancellationToken)"/>, recording
    /// the API caller that created the job (<see cref="Job.Caller"/>). A job already stored keeps its caller.
    /// </summary>
    Task<Job> CreateIfAbsentAsync(GenerateVideo request, string? caller, DateTimeOffset now, DateTimeOffset dueAt, CancellationToken ct);

    Task<Job?> FindAsync(Guid jobId, CancellationToken ct);

    /// <summary>
    /// One page of jobs not deleted from the API, ordered by (created_at, job_id) and read after the
    /// <see cref="JobPageQuery.After"/> position, so jobs inserted meanwhile never shift a page. Request bodies are
    /// not read, as in <see cref="ListAsync"/>.
    /// </summary>
    Task<IReadOnlyList<Job>> ListPageAsync(JobPageQuery query, CancellationToken ct);

    /// <summary>
    /// Queued → Failed with <paramref name="ending"/>, only while the job is still queued: one conditional update, so
    /// a consumer or dispatcher that claims it at the same moment either wins (and the cancel fails) or finds it ended.
    /// </summary>
    Task<bool> TryCancelQueuedAsync(Guid jobId, JobEnding ending, Guid terminalMessageId, DateTimeOffset now, CancellationToken ct);

    /// <summary>Removes an ended job from the API (it is kept for its events); false when it is not ended or already removed.</summary>
    Task<bool> MarkDeletedAsync(Guid jobId, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// The most recently created jobs, optionally only those in <paramref name="status"/>. Request bodies are not read:
    /// each job's <see cref="Job.Request"/> carries its id, prompt, size, seconds, model and metadata.
    /// </summary>
    Task<IReadOnlyList<Job>> ListAsync(JobStatus? status, int limit, CancellationToken ct);

    /// <summary>How many jobs are in <paramref name="status"/> right now.</summary>
    Task<long> CountAsync(JobStatus status, CancellationToken ct);

    /// <summary>
    /// Takes up to <paramref name="limit"/> completed jobs whose archive download is due, counts an attempt for
    /// each and moves its next try to <paramref name="nextAt"/> in the same step.
    /// </summary>
    Task<IReadOnlyList<Job>> ClaimDueArchivesAsync(DateTimeOffset now, DateTimeOffset nextAt, int limit, CancellationToken ct);

    /// <summary>Records the archived location, or with null that archiving gave up; either way nothing more is due.</summary>
    Task MarkArchivedAsync(Guid jobId, string? location, CancellationToken ct);

    /// <summary>
    /// Queued → Submitting for <paramref name="provider"/>, unless that gateway already has
    /// <paramref name="maxConcurrent"/> of our tasks (submitting or submitted, counted across every instance).
    /// </summary>
    Task<ClaimResult> TryClaimSubmissionAsync(Guid jobId, string provider, int? maxConcurrent, DateTimeOffset now, CancellationToken ct);

    /// <summary>Submitting → Queued, after a gateway call that certainly did not create a task.</summary>
    Task ReleaseSubmissionAsync(Guid jobId, DateTimeOffset now, CancellationToken ct);

    /// <summary>Submitting → Queued and due at <paramref name="retryAt"/>, in one step, for the dispatcher to try again.</summary>
    Task ReleaseSubmissionAsync(Guid jobId, DateTimeOffset now, DateTimeOffset retryAt, CancellationToken ct);

    /// <summary>Marks a queued job due again at <paramref name="when"/>, for the dispatcher to pick up.</summary>
    Task DeferAsync(Guid jobId, DateTimeOffset when, CancellationToken ct);

    /// <summary>Queued jobs whose due time has come, oldest due first.</summary>
    Task<IReadOnlyList<Job>> FindDueAsync(DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>
    /// Takes one of <paramref name="provider"/>'s <paramref name="perMinute"/> request slots that is free at
    /// <paramref name="now"/>, shared by every instance, and holds it until <paramref name="heldUntil"/>. Null means:
    /// wait, every slot is taken. One statement, so two callers never take the same slot.
    /// </summary>
    Task<GatewayCallSlot?> TryTakeGatewayCallAsync(string provider, int perMinute, DateTimeOffset now, DateTimeOffset heldUntil, CancellationToken ct);

    /// <summary>The call on <paramref name="slot"/> has ended: the slot is free again from <paramref name="freeAt"/>.</summary>
    Task EndGatewayCallAsync(GatewayCallSlot slot, DateTimeOffset freeAt, CancellationToken ct);

    /// <summary>
    /// Records the gateway's request id and when to first ask its status API. Never overrides an ending that a
    /// fast callback already wrote.
    /// </summary>
    Task<bool> MarkSubmittedAsync(Guid jobId, string provider, string providerRequestId, DateTimeOffset now, DateTimeOffset firstPollAt, CancellationToken ct);

    /// <summary>
    /// Takes up to <paramref name="limit"/> submitted jobs on <paramref name="provider"/> whose status check is due,
    /// and moves their next check to <paramref name="nextPollAt"/> in the same step, so no other instance polls them too.
    /// </summary>
    Task<IReadOnlyList<Job>> ClaimDuePollsAsync(string provider, DateTimeOffset now, DateTimeOffset nextPollAt, int limit, CancellationToken ct);

    /// <summary>
    /// Claims an extra status query for a submitted job (an unreadable callback asks for one), unless one is in flight
    /// (its lease runs until after <paramref name="now"/>) or one was claimed within the poll interval (the next check
    /// is due after <paramref name="now"/> but no later than <paramref name="nextPollAt"/>). The claim holds the query
    /// until <paramref name="leaseUntil"/> and moves the next check to <paramref name="nextPollAt"/>, so however many
    /// callbacks arrive on however many instances, one query runs at a time and at most one per poll interval.
    /// </summary>
    Task<bool> TryClaimStatusQueryAsync(Guid jobId, DateTimeOffset now, DateTimeOffset nextPollAt, DateTimeOffset leaseUntil, CancellationToken ct);

    /// <summary>Ends the query claimed with <paramref name="leaseUntil"/>; the next check is due at <paramref name="nextPollAt"/>.</summary>
    Task EndStatusQueryAsync(Guid jobId, DateTimeOffset leaseUntil, DateTimeOffset nextPollAt, CancellationToken ct);

    /// <summary>Jobs not ended yet that were created at or before <paramref name="cutoff"/> (past their deadline).</summary>
    Task<IReadOnlyList<Job>> FindOpenCreatedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken ct);

    /// <summary>Ended jobs whose terminal event is still unpublished although they ended at or before <paramref name="cutoff"/>.</summary>
    Task<IReadOnlyList<Guid>> FindUnpublishedEndedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken ct);

    /// <summary>
    /// Submitted → Queued with the next attempt number and due now, after the gateway reported a failure it did not
    /// charge for; the next attempt avoids <paramref name="avoidProvider"/> when it can. Only when the job is still on
    /// <paramref name="providerRequestId"/>, so a duplicate report cannot start two attempts.
    /// </summary>
    Task<bool> TryRequeueAsync(Guid jobId, string providerRequestId, string avoidProvider, DateTimeOffset now, CancellationToken ct);

    /// <summary>Ends the job unless it has ended already. True for the one caller that ended it.</summary>
    Task<bool> TryFinishAsync(Guid jobId, JobEnding ending, Guid terminalMessageId, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Ends the job unless it has ended already, closes its open attempt (<see cref="JobEnding.LeftGatewayBecause"/>)
    /// and gives the caller the right to publish its terminal event until <paramref name="publishLeaseUntil"/>, all in
    /// one transaction: one commit where ending, closing and leasing took three. The one caller that ended the job
    /// gets it back as stored (without its attempts), to build the event from; every other caller gets null.
    /// </summary>
    Task<Job?> TryEndAsync(Guid jobId, JobEnding ending, Guid terminalMessageId, DateTimeOffset now, DateTimeOffset publishLeaseUntil, CancellationToken ct);

    /// <summary>
    /// Takes the right to publish the terminal event until <paramref name="leaseUntil"/>, so concurrent duplicates
    /// publish it once while a crashed publisher's lease still runs out and someone else can finish its work.
    /// </summary>
    Task<bool> TryLeaseTerminalPublishAsync(Guid jobId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct);

    /// <summary>The job's terminal event is published: nobody publishes it again, and its lease is over.</summary>
    Task MarkTerminalPublishedAsync(Guid jobId, CancellationToken ct);

    /// <summary>As <see cref="MarkTerminalPublishedAsync(Guid, CancellationToken)"/> for several jobs, in one statement.</summary>
    Task MarkTerminalPublishedAsync(IReadOnlyCollection<Guid> jobIds, CancellationToken ct);

    Task ReleaseTerminalPublishAsync(Guid jobId, CancellationToken ct);

    /// <summary>Opens the job's attempt on <paramref name="provider"/> (it has just been claimed for it); a wait for replay is over.</summary>
    Task StartAttemptAsync(Guid jobId, string provider, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Counts one gateway call for the job, with the failure it answered (null: none) and when the next call is due
    /// (null: none planned). A failure stays the job's last one until another replaces it.
    /// </summary>
    Task RecordGatewayCallAsync(Guid jobId, string? failure, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken ct);

    /// <summary>Closes the job's open attempt, if it has one, saying why it left the gateway.</summary>
    Task EndAttemptAsync(Guid jobId, string? leftBecause, DateTimeOffset now, CancellationToken ct);

    /// <summary>The job's command is on its way to <c>generate-video_error</c>: the job waits for an operator's replay.</summary>
    Task MarkAwaitingReplayAsync(Guid jobId, CancellationToken ct);
}
