using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Tests.Jobs;

/// <summary>
/// What every <see cref="IJobStore"/> must do, run against each store (<see cref="SqliteJobStoreTests"/>,
/// <see cref="PostgresJobStoreTests"/>). Each test gets an empty, initialised store; "another instance" is a second
/// store object on the same database, with connections of its own, as a second service process would have.
/// </summary>
public abstract class JobStoreContract : IAsyncLifetime
{
    protected readonly DateTimeOffset now = DateTimeOffset.FromUnixTimeMilliseconds(1_767_965_610_929);
    private readonly List<IJobStore> opened = [];
    protected IJobStore store = null!;

    /// <summary>A store on a fresh, empty database; not initialised yet.</summary>
    protected abstract Task<IJobStore> CreateStoreAsync();

    /// <summary>A further store object on the database of <see cref="store"/>, as another service instance would open.</summary>
    protected abstract IJobStore CreateAnotherInstance();

    /// <summary>Runs <paramref name="sql"/> on the database of <see cref="store"/>, behind the store's back.</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    /// <summary>Runs after every store object was disposed.</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        store = Track(await CreateStoreAsync());
        await store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in opened)
        {
            if (instance is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else (instance as IDisposable)?.Dispose();
        }
        await CleanUpAsync();
    }

    /// <summary><paramref name="count"/> store objects on the same database (the first is <see cref="store"/>).</summary>
    protected IJobStore[] Instances(int count) =>
        [store, .. Enumerable.Range(1, count - 1).Select(_ => Track(CreateAnotherInstance()))];

    private IJobStore Track(IJobStore instance)
    {
        opened.Add(instance);
        return instance;
    }

    protected static GenerateVideo Command() => new(Guid.NewGuid(), "prompt", Size: "1280x720",
        Metadata: new Dictionary<string, string> { ["order"] = "42" });

    [Fact]
    public async Task Created_job_is_queued_and_keeps_the_request()
    {
        var command = Command();
        var job = await store.CreateIfAbsentAsync(command, now, CancellationToken.None);

        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(1, job.Attempt);
        Assert.Equal(now, job.CreatedAt);
        Assert.Equal("1280x720", job.Request.Size);
        Assert.Equal("42", job.Metadata["order"]);
    }

    [Fact]
    public async Task Creating_a_known_job_again_returns_the_stored_one()
    {
        var command = Command();
        await store.CreateIfAbsentAsync(command, now, CancellationToken.None);
        var again = await store.CreateIfAbsentAsync(command with { Prompt = "changed" }, now.AddMinutes(1), CancellationToken.None);

        Assert.Equal("prompt", again.Request.Prompt);
        Assert.Equal(now, again.CreatedAt);
    }

    [Fact]
    public async Task Only_one_claim_of_a_submission_succeeds()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.TryClaimSubmissionAsync(job.JobId, "pixazo", null, now, CancellationToken.None)));
        Assert.Equal(1, claims.Count(c => c == ClaimResult.Claimed));
        Assert.Equal(7, claims.Count(c => c == ClaimResult.NotQueued));
    }

    [Fact]
    public async Task Released_claim_can_be_taken_again()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        Assert.Equal(ClaimResult.Claimed, await store.TryClaimSubmissionAsync(job.JobId, "pixazo", null, now, CancellationToken.None));
        await store.ReleaseSubmissionAsync(job.JobId, now, CancellationToken.None);
        Assert.Equal(ClaimResult.Claimed, await store.TryClaimSubmissionAsync(job.JobId, "pixazo", null, now, CancellationToken.None));
    }

    [Fact]
    public async Task Job_created_with_a_due_time_is_due_for_the_dispatcher_then_and_a_repeat_keeps_the_first()
    {
        var command = Command();
        await store.CreateIfAbsentAsync(command, now, now.AddSeconds(15), CancellationToken.None);
        var again = await store.CreateIfAbsentAsync(command with { Prompt = "changed" }, now.AddSeconds(5), now.AddSeconds(20), CancellationToken.None);

        Assert.Equal((command.Prompt, now.AddSeconds(15)), (again.Request.Prompt, again.NextTryAt));
        Assert.Empty(await store.FindDueAsync(now.AddSeconds(14), 10, CancellationToken.None));
        Assert.Equal(command.JobId, Assert.Single(await store.FindDueAsync(now.AddSeconds(15), 10, CancellationToken.None)).JobId);
    }

    [Fact]
    public async Task Claim_given_back_with_a_retry_time_is_due_for_the_dispatcher_then()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        Assert.Equal(ClaimResult.Claimed, await store.TryClaimSubmissionAsync(job.JobId, "pixazo", null, now, CancellationToken.None));
        await store.ReleaseSubmissionAsync(job.JobId, now, now.AddSeconds(1), CancellationToken.None);

        Assert.Empty(await store.FindDueAsync(now, 10, CancellationToken.None));
        Assert.Equal(job.JobId, Assert.Single(await store.FindDueAsync(now.AddSeconds(1), 10, CancellationToken.None)).JobId);
        Assert.Equal(ClaimResult.Claimed, await store.TryClaimSubmissionAsync(job.JobId, "pixazo", null, now, CancellationToken.None));
    }

    [Fact]
    public async Task Job_ends_once_whatever_arrives_after()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        var first = Guid.NewGuid();
        Assert.True(await store.TryFinishAsync(job.JobId, JobEnding.Completed("pixazo", "r1", ["https://v/1.mp4"], null), first, now, CancellationToken.None));
        Assert.False(await store.TryFinishAsync(job.JobId, JobEnding.Failed("pixazo", "r1", "provider_error", "late"), Guid.NewGuid(), now, CancellationToken.None));

        var stored = (await store.FindAsync(job.JobId, CancellationToken.None))!;
        Assert.Equal(JobStatus.Completed, stored.Status);
        Assert.Equal(first, stored.TerminalMessageId);
        Assert.Equal(["https://v/1.mp4"], stored.VideoUrls);
        Assert.Null(stored.ErrorCode);
    }

    [Fact]
    public async Task Submission_recorded_after_a_fast_callback_keeps_the_ending()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.TryClaimSubmissionAsync(job.JobId, "pixazo", null, now, CancellationToken.None);
        await store.TryFinishAsync(job.JobId, JobEnding.Completed("pixazo", null, ["https://v/1.mp4"], null), Guid.NewGuid(), now, CancellationToken.None);
        await store.MarkSubmittedAsync(job.JobId, "pixazo", "r1", now, now.AddSeconds(5), CancellationToken.None);

        var stored = (await store.FindAsync(job.JobId, CancellationToken.None))!;
        Assert.Equal(JobStatus.Completed, stored.Status);
        Assert.Equal("r1", stored.ProviderRequestId);
    }

    [Fact]
    public async Task Terminal_publish_lease_is_held_by_one_until_released_or_published()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        Assert.False(await store.TryLeaseTerminalPublishAsync(job.JobId, now, now.AddSeconds(30), CancellationToken.None));

        await store.TryFinishAsync(job.JobId, JobEnding.Failed(null, null, "invalid_request", "x"), Guid.NewGuid(), now, CancellationToken.None);
        Assert.True(await store.TryLeaseTerminalPublishAsync(job.JobId, now, now.AddSeconds(30), CancellationToken.None));
        Assert.False(await store.TryLeaseTerminalPublishAsync(job.JobId, now.AddSeconds(1), now.AddSeconds(31), CancellationToken.None));
        Assert.True(await store.TryLeaseTerminalPublishAsync(job.JobId, now.AddSeconds(31), now.AddSeconds(61), CancellationToken.None));

        await store.MarkTerminalPublishedAsync(job.JobId, CancellationToken.None);
        Assert.False(await store.TryLeaseTerminalPublishAsync(job.JobId, now.AddHours(1), now.AddHours(2), CancellationToken.None));
    }

    [Fact]
    public async Task Ending_a_job_returns_it_as_stored_and_closes_its_attempt_in_the_same_commit()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.StartAttemptAsync(job.JobId, "pixazo", now, CancellationToken.None);
        var messageId = Guid.NewGuid();

        var ended = await store.TryEndAsync(job.JobId, JobEnding.Failed("pixazo", "r1", "provider_error", "boom"), messageId,
            now.AddSeconds(5), now.AddSeconds(35), CancellationToken.None);

        Assert.NotNull(ended);
        var stored = (await store.FindAsync(job.JobId, CancellationToken.None))!;
        Assert.Equal((JobStatus.Failed, messageId, "r1", "provider_error", "boom", (DateTimeOffset?)now.AddSeconds(5)),
            (ended.Status, ended.TerminalMessageId, ended.ProviderRequestId, ended.ErrorCode, ended.ErrorReason, ended.FinishedAt));
        Assert.Equal((stored.Status, stored.TerminalMessageId, stored.FinishedAt), (ended.Status, ended.TerminalMessageId, ended.FinishedAt));
        Assert.Equal(stored.Request.Metadata, ended.Request.Metadata);
        Assert.Equal(new JobAttempt("pixazo", now, now.AddSeconds(5), "provider_error: boom"), Assert.Single(stored.Attempts));
    }

    [Fact]
    public async Task Ending_a_job_takes_its_publish_lease_so_no_other_publisher_can_until_it_expires()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        var another = Instances(2)[1];

        Assert.NotNull(await store.TryEndAsync(job.JobId, JobEnding.Completed("pixazo", "r1", ["https://v/1.mp4"], null), Guid.NewGuid(),
            now, now.AddSeconds(30), CancellationToken.None));
        Assert.Null(await another.TryEndAsync(job.JobId, JobEnding.Failed("pixazo", "r1", "provider_error", "late"), Guid.NewGuid(),
            now.AddSeconds(1), now.AddSeconds(31), CancellationToken.None));

        Assert.False(await another.TryLeaseTerminalPublishAsync(job.JobId, now.AddSeconds(29), now.AddSeconds(59), CancellationToken.None));
        Assert.True(await another.TryLeaseTerminalPublishAsync(job.JobId, now.AddSeconds(31), now.AddSeconds(61), CancellationToken.None));
    }

    [Fact]
    public async Task Ended_job_whose_event_was_never_published_is_republished_after_its_lease_with_the_same_message_id()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        var messageId = Guid.NewGuid();
        await store.TryEndAsync(job.JobId, JobEnding.Completed("apixo", "t1", ["https://v/1.mp4"], null), messageId,
            now, now + TerminalEvents.PublishLease, CancellationToken.None);

        // The publisher died before publishing: as the republisher looks, one lease after the ending.
        var later = now + TerminalEvents.PublishLease + TimeSpan.FromSeconds(1);
        Assert.Equal([job.JobId], await store.FindUnpublishedEndedBeforeAsync(later - TerminalEvents.PublishLease, 10, CancellationToken.None));
        Assert.True(await store.TryLeaseTerminalPublishAsync(job.JobId, later, later + TerminalEvents.PublishLease, CancellationToken.None));
        Assert.Equal(messageId, (await store.FindAsync(job.JobId, CancellationToken.None))!.TerminalMessageId);
    }

    [Fact]
    public async Task Several_jobs_are_marked_published_in_one_call_and_only_those()
    {
        var jobs = await CreateJobsAsync(3);
        foreach (var job in jobs)
            await store.TryEndAsync(job.JobId, JobEnding.Failed(null, null, "invalid_request", "x"), Guid.NewGuid(), now, now.AddSeconds(30), CancellationToken.None);

        await store.MarkTerminalPublishedAsync([jobs[0].JobId, jobs[2].JobId], CancellationToken.None);

        Assert.Equal([jobs[1].JobId], await store.FindUnpublishedEndedBeforeAsync(now.AddHours(1), 10, CancellationToken.None));
        Assert.False(await store.TryLeaseTerminalPublishAsync(jobs[0].JobId, now.AddHours(1), now.AddHours(2), CancellationToken.None));
    }

    [Fact]
    public async Task Requeue_happens_once_per_task()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.TryClaimSubmissionAsync(job.JobId, "pixazo", null, now, CancellationToken.None);
        await store.MarkSubmittedAsync(job.JobId, "pixazo", "r1", now, now.AddSeconds(5), CancellationToken.None);

        Assert.True(await store.TryRequeueAsync(job.JobId, "r1", "pixazo", now, CancellationToken.None));
        Assert.False(await store.TryRequeueAsync(job.JobId, "r1", "pixazo", now, CancellationToken.None));
        var stored = (await store.FindAsync(job.JobId, CancellationToken.None))!;
        Assert.Equal((JobStatus.Queued, 2, (string?)null, "pixazo"), (stored.Status, stored.Attempt, stored.ProviderRequestId, stored.AvoidProvider));
        Assert.Equal([job.JobId], (await store.FindDueAsync(now, 10, CancellationToken.None)).Select(j => j.JobId));
    }

    [Fact]
    public async Task Claims_stop_at_the_gateways_concurrency_limit_until_a_task_ends()
    {
        var jobs = new List<Job>();
        for (var i = 0; i < 5; i++) jobs.Add(await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None));

        var results = new List<ClaimResult>();
        foreach (var job in jobs) results.Add(await store.TryClaimSubmissionAsync(job.JobId, "apixo", 3, now, CancellationToken.None));
        Assert.Equal([ClaimResult.Claimed, ClaimResult.Claimed, ClaimResult.Claimed, ClaimResult.AtLimit, ClaimResult.AtLimit], results);

        // Another gateway's slots are its own.
        Assert.Equal(ClaimResult.Claimed, await store.TryClaimSubmissionAsync(jobs[3].JobId, "pixazo", 3, now, CancellationToken.None));

        await store.TryFinishAsync(jobs[0].JobId, JobEnding.Completed("apixo", "t0", ["https://v/0.mp4"], null), Guid.NewGuid(), now, CancellationToken.None);
        Assert.Equal(ClaimResult.Claimed, await store.TryClaimSubmissionAsync(jobs[4].JobId, "apixo", 3, now, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_claims_never_exceed_the_limit()
    {
        var jobs = new List<Job>();
        for (var i = 0; i < 30; i++) jobs.Add(await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None));
        var results = await Task.WhenAll(jobs.Select(j => Task.Run(() => store.TryClaimSubmissionAsync(j.JobId, "apixo", 10, now, CancellationToken.None))));
        Assert.Equal(10, results.Count(r => r == ClaimResult.Claimed));
    }

    /// <summary>A call's slot taken at <paramref name="at"/> and held a minute, as a call that is never ended holds it.</summary>
    private static async Task<bool> TakeCallAsync(IJobStore instance, string provider, int perMinute, DateTimeOffset at) =>
        await instance.TryTakeGatewayCallAsync(provider, perMinute, at, at.AddMinutes(1), CancellationToken.None) is not null;

    [Fact]
    public async Task Gateway_calls_are_limited_per_sliding_minute()
    {
        var taken = new List<bool>();
        for (var i = 0; i < 4; i++) taken.Add(await TakeCallAsync(store, "apixo", 3, now.AddSeconds(i)));
        Assert.Equal([true, true, true, false], taken);

        Assert.True(await TakeCallAsync(store, "pixazo", 3, now));
        Assert.False(await TakeCallAsync(store, "apixo", 3, now.AddSeconds(59)));
        Assert.True(await TakeCallAsync(store, "apixo", 3, now.AddSeconds(61)));
    }

    [Fact]
    public async Task Gateway_call_slot_is_free_again_only_from_the_time_its_end_names()
    {
        var slot = await store.TryTakeGatewayCallAsync("apixo", 1, now, now.AddMinutes(11), CancellationToken.None);
        Assert.NotNull(slot);
        Assert.False(await TakeCallAsync(store, "apixo", 1, now.AddMinutes(5)));

        // The call ended 5 s after it was sent: its slot is free a minute (and the margin) after that, not after the take.
        await store.EndGatewayCallAsync(slot, now.AddSeconds(67), CancellationToken.None);
        Assert.False(await TakeCallAsync(store, "apixo", 1, now.AddSeconds(66)));
        Assert.True(await TakeCallAsync(store, "apixo", 1, now.AddSeconds(67)));

        // A late end of a call whose hold had run out frees nothing of the call that holds the slot now.
        await store.EndGatewayCallAsync(slot, now.AddSeconds(68), CancellationToken.None);
        Assert.False(await TakeCallAsync(store, "apixo", 1, now.AddSeconds(100)));
    }

    [Fact]
    public async Task Gateway_limit_can_grow_and_shrink()
    {
        Assert.True(await TakeCallAsync(store, "apixo", 1, now));
        Assert.False(await TakeCallAsync(store, "apixo", 1, now));
        Assert.True(await TakeCallAsync(store, "apixo", 2, now));
        Assert.False(await TakeCallAsync(store, "apixo", 2, now));
        Assert.False(await TakeCallAsync(store, "apixo", 1, now.AddSeconds(30)));
    }

    [Fact]
    public async Task Extra_status_query_runs_one_at_a_time_and_once_per_poll_interval()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.TryClaimSubmissionAsync(job.JobId, "apixo", null, now, CancellationToken.None);
        await store.MarkSubmittedAsync(job.JobId, "apixo", "task_1", now, now.AddSeconds(120), CancellationToken.None);
        var every = TimeSpan.FromSeconds(5);
        Task<bool> ClaimAt(DateTimeOffset at, DateTimeOffset? lease = null) =>
            store.TryClaimStatusQueryAsync(job.JobId, at, at + every, lease ?? at.AddSeconds(90), CancellationToken.None);

        // The first check is two minutes away, so an unreadable callback may ask now; a second may not while that runs,
        // even once an interval has passed, and the sweep leaves the job to it too.
        Assert.True(await ClaimAt(now.AddSeconds(10), now.AddSeconds(100)));
        Assert.False(await ClaimAt(now.AddSeconds(11)));
        Assert.False(await ClaimAt(now.AddSeconds(30)));
        Assert.Empty(await store.ClaimDuePollsAsync("apixo", now.AddSeconds(30), now.AddSeconds(35), 10, CancellationToken.None));

        // Ended at 31 s: the next one may come an interval later, from a callback or from the sweep, not both.
        await store.EndStatusQueryAsync(job.JobId, now.AddSeconds(100), now.AddSeconds(36), CancellationToken.None);
        Assert.False(await ClaimAt(now.AddSeconds(32)));
        Assert.False(await ClaimAt(now.AddSeconds(35.9)));
        Assert.True(await ClaimAt(now.AddSeconds(36), now.AddSeconds(126)));
        Assert.Empty(await store.ClaimDuePollsAsync("apixo", now.AddSeconds(41), now.AddSeconds(46), 10, CancellationToken.None));
        await store.EndStatusQueryAsync(job.JobId, now.AddSeconds(126), now.AddSeconds(42), CancellationToken.None);
        Assert.Single(await store.ClaimDuePollsAsync("apixo", now.AddSeconds(42), now.AddSeconds(47), 10, CancellationToken.None));
        Assert.False(await ClaimAt(now.AddSeconds(43)));

        await store.TryFinishAsync(job.JobId, JobEnding.Completed("apixo", "task_1", ["https://v/1.mp4"], null), Guid.NewGuid(), now, CancellationToken.None);
        Assert.False(await ClaimAt(now.AddHours(1)));
    }

    [Fact]
    public async Task Crashed_status_query_blocks_the_job_only_until_its_lease_runs_out()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.TryClaimSubmissionAsync(job.JobId, "pixazo", null, now, CancellationToken.None);
        await store.MarkSubmittedAsync(job.JobId, "pixazo", "r1", now, now.AddSeconds(5), CancellationToken.None);

        Assert.True(await store.TryClaimStatusQueryAsync(job.JobId, now.AddSeconds(5), now.AddSeconds(12), now.AddSeconds(95), CancellationToken.None));
        Assert.Empty(await store.ClaimDuePollsAsync("pixazo", now.AddSeconds(94), now.AddSeconds(101), 10, CancellationToken.None));
        Assert.Single(await store.ClaimDuePollsAsync("pixazo", now.AddSeconds(95), now.AddSeconds(102), 10, CancellationToken.None));
    }

    [Fact]
    public async Task Deferred_job_is_due_only_once_its_time_has_come()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        Assert.Empty(await store.FindDueAsync(now, 10, CancellationToken.None));

        await store.DeferAsync(job.JobId, now.AddSeconds(5), CancellationToken.None);
        Assert.Empty(await store.FindDueAsync(now.AddSeconds(4), 10, CancellationToken.None));
        Assert.Single(await store.FindDueAsync(now.AddSeconds(5), 10, CancellationToken.None));

        await store.TryClaimSubmissionAsync(job.JobId, "pixazo", null, now.AddSeconds(5), CancellationToken.None);
        Assert.Empty(await store.FindDueAsync(now.AddSeconds(6), 10, CancellationToken.None));
    }

    [Fact]
    public async Task Schema_initialisation_is_idempotent()
    {
        await store.InitializeAsync(CancellationToken.None);
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.InitializeAsync(CancellationToken.None);
        Assert.NotNull(await store.FindAsync(job.JobId, CancellationToken.None));
    }

    [Fact]
    public async Task Due_status_checks_are_claimed_once_and_rescheduled()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.TryClaimSubmissionAsync(job.JobId, "pixazo", null, now, CancellationToken.None);
        await store.MarkSubmittedAsync(job.JobId, "pixazo", "r1", now, now.AddSeconds(5), CancellationToken.None);

        Assert.Empty(await store.ClaimDuePollsAsync("pixazo", now.AddSeconds(4), now.AddSeconds(11), 10, CancellationToken.None));
        var claimed = await store.ClaimDuePollsAsync("pixazo", now.AddSeconds(5), now.AddSeconds(12), 10, CancellationToken.None);
        Assert.Equal(("r1", JobStatus.Submitted), (Assert.Single(claimed).ProviderRequestId, claimed[0].Status));
        Assert.Empty(await store.ClaimDuePollsAsync("pixazo", now.AddSeconds(6), now.AddSeconds(13), 10, CancellationToken.None));
        Assert.Empty(await store.ClaimDuePollsAsync("apixo", now.AddSeconds(20), now.AddSeconds(25), 10, CancellationToken.None));
        Assert.Single(await store.ClaimDuePollsAsync("pixazo", now.AddSeconds(12), now.AddSeconds(19), 10, CancellationToken.None));

        await store.TryFinishAsync(job.JobId, JobEnding.Completed("pixazo", "r1", ["https://v/1.mp4"], null), Guid.NewGuid(), now, CancellationToken.None);
        Assert.Empty(await store.ClaimDuePollsAsync("pixazo", now.AddHours(1), now.AddHours(2), 10, CancellationToken.None));
    }

    [Fact]
    public async Task Open_jobs_past_a_cutoff_are_found_and_ended_ones_are_not()
    {
        var old = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        var ended = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.CreateIfAbsentAsync(Command(), now.AddMinutes(10), CancellationToken.None);
        await store.TryFinishAsync(ended.JobId, JobEnding.Failed(null, null, "invalid_request", "x"), Guid.NewGuid(), now, CancellationToken.None);

        Assert.Equal([old.JobId], (await store.FindOpenCreatedBeforeAsync(now.AddMinutes(5), 10, CancellationToken.None)).Select(j => j.JobId));
    }

    [Fact]
    public async Task Ended_jobs_with_unpublished_events_are_found_until_published()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.TryFinishAsync(job.JobId, JobEnding.Failed(null, null, "invalid_request", "x"), Guid.NewGuid(), now, CancellationToken.None);

        Assert.Empty(await store.FindUnpublishedEndedBeforeAsync(now.AddSeconds(-1), 10, CancellationToken.None));
        Assert.Equal([job.JobId], await store.FindUnpublishedEndedBeforeAsync(now, 10, CancellationToken.None));
        await store.MarkTerminalPublishedAsync(job.JobId, CancellationToken.None);
        Assert.Empty(await store.FindUnpublishedEndedBeforeAsync(now.AddHours(1), 10, CancellationToken.None));
    }

    // ---- several instances on one database -------------------------------------------------------------------

    [Fact]
    public async Task Only_one_instance_claims_a_submission()
    {
        var instances = Instances(8);
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        var claims = await Task.WhenAll(instances.Select(s => Task.Run(() => s.TryClaimSubmissionAsync(job.JobId, "pixazo", 10, now, CancellationToken.None))));
        Assert.Equal(1, claims.Count(c => c == ClaimResult.Claimed));
        Assert.Equal(7, claims.Count(c => c == ClaimResult.NotQueued));
    }

    [Fact]
    public async Task Claims_from_several_instances_never_exceed_the_limit()
    {
        var instances = Instances(4);
        var jobs = new List<Job>();
        for (var i = 0; i < 60; i++) jobs.Add(await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None));

        var first = await Task.WhenAll(jobs.Select((j, i) => Task.Run(() => instances[i % 4].TryClaimSubmissionAsync(j.JobId, "apixo", 10, now, CancellationToken.None))));
        Assert.Equal(10, first.Count(r => r == ClaimResult.Claimed));
        Assert.Equal(50, first.Count(r => r == ClaimResult.AtLimit));
        Assert.Equal(10, (await store.ListAsync(JobStatus.Submitting, 100, CancellationToken.None)).Count);

        // Four tasks end: exactly four slots free up, whichever instances race for them.
        var claimed = jobs.Where((_, i) => first[i] == ClaimResult.Claimed).ToList();
        foreach (var job in claimed.Take(4))
            Assert.True(await store.TryFinishAsync(job.JobId, JobEnding.Completed("apixo", "t", ["https://v/1.mp4"], null), Guid.NewGuid(), now, CancellationToken.None));
        var waiting = jobs.Where((_, i) => first[i] == ClaimResult.AtLimit).ToList();
        var second = await Task.WhenAll(waiting.Select((j, i) => Task.Run(() => instances[i % 4].TryClaimSubmissionAsync(j.JobId, "apixo", 10, now, CancellationToken.None))));
        Assert.Equal(4, second.Count(r => r == ClaimResult.Claimed));
        Assert.Equal(10, (await store.ListAsync(JobStatus.Submitting, 100, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Gateway_calls_from_several_instances_never_exceed_the_budget()
    {
        var instances = Instances(4);
        var taken = await Task.WhenAll(Enumerable.Range(0, 120).Select(i =>
            Task.Run(() => TakeCallAsync(instances[i % 4], "apixo", 25, now.AddMilliseconds(i)))));
        Assert.Equal(25, taken.Count(t => t));

        // The other gateway's budget is untouched; this one's frees up only as its calls leave the window.
        Assert.True(await TakeCallAsync(instances[1], "pixazo", 25, now));
        Assert.False(await TakeCallAsync(instances[2], "apixo", 25, now.AddSeconds(59)));
        Assert.True(await TakeCallAsync(instances[3], "apixo", 25, now.AddMinutes(2)));
    }

    [Fact]
    public async Task Due_status_checks_are_claimed_by_one_instance_each()
    {
        var instances = Instances(4);
        var ids = new List<Guid>();
        for (var i = 0; i < 40; i++)
        {
            var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
            await store.TryClaimSubmissionAsync(job.JobId, "pixazo", null, now, CancellationToken.None);
            await store.MarkSubmittedAsync(job.JobId, "pixazo", $"r{i}", now, now.AddSeconds(5), CancellationToken.None);
            ids.Add(job.JobId);
        }

        var due = now.AddSeconds(5);
        var rounds = await Task.WhenAll(instances.Select(s => Task.Run(() => s.ClaimDuePollsAsync("pixazo", due, due.AddSeconds(7), 15, CancellationToken.None))));
        var claimed = rounds.SelectMany(r => r).Select(j => j.JobId).ToList();
        claimed.AddRange((await store.ClaimDuePollsAsync("pixazo", due, due.AddSeconds(7), 100, CancellationToken.None)).Select(j => j.JobId));

        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.Equal(ids.Order(), claimed.Order());
        Assert.Empty(await instances[2].ClaimDuePollsAsync("pixazo", due.AddSeconds(6), due.AddSeconds(13), 100, CancellationToken.None));
    }

    [Fact]
    public async Task Only_one_instance_ends_a_job_and_one_publishes_its_event()
    {
        var instances = Instances(6);
        for (var round = 0; round < 5; round++)
        {
            var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
            var ended = await AtOnceOnEach(instances, (s, i) =>
                s.TryFinishAsync(job.JobId, JobEnding.Failed("pixazo", $"r{i}", "provider_error", $"instance {i}"), Guid.NewGuid(), now, CancellationToken.None));
            Assert.Equal(1, ended.Count(e => e));

            var leased = await AtOnceOnEach(instances, (s, _) => s.TryLeaseTerminalPublishAsync(job.JobId, now, now.AddSeconds(30), CancellationToken.None));
            Assert.Equal(1, leased.Count(l => l));

            var stored = (await store.FindAsync(job.JobId, CancellationToken.None))!;
            Assert.Equal($"instance {Array.IndexOf(ended, true)}", stored.ErrorReason);
        }
    }

    [Fact]
    public async Task Only_one_instance_ends_a_job_and_with_it_takes_the_publish_lease()
    {
        var instances = Instances(6);
        foreach (var job in await CreateJobsAsync(5))
        {
            var ended = await AtOnceOnEach(instances, (s, i) => s.TryEndAsync(job.JobId,
                JobEnding.Failed("pixazo", $"r{i}", "provider_error", $"instance {i}"), Guid.NewGuid(), now, now.AddSeconds(30), CancellationToken.None));
            var winner = Assert.Single(ended, e => e is not null)!;

            Assert.DoesNotContain(true, await AtOnceOnEach(instances, (s, _) => s.TryLeaseTerminalPublishAsync(job.JobId, now, now.AddSeconds(30), CancellationToken.None)));
            Assert.Equal(winner.ErrorReason, (await store.FindAsync(job.JobId, CancellationToken.None))!.ErrorReason);
        }
    }

    /// <summary>One call per instance, all started at once on the thread pool, as instances racing on one job would.</summary>
    private static Task<T[]> AtOnceOnEach<T>(IJobStore[] instances, Func<IJobStore, int, Task<T>> call) =>
        Task.WhenAll(instances.Select((s, i) => Task.Run(() => call(s, i))));

    private async Task<List<Job>> CreateJobsAsync(int count)
    {
        var jobs = new List<Job>();
        for (var i = 0; i < count; i++) jobs.Add(await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None));
        return jobs;
    }

    [Fact]
    public async Task Only_one_instance_requeues_a_task()
    {
        var instances = Instances(6);
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.TryClaimSubmissionAsync(job.JobId, "pixazo", null, now, CancellationToken.None);
        await store.MarkSubmittedAsync(job.JobId, "pixazo", "r1", now, now.AddSeconds(5), CancellationToken.None);

        var requeued = await Task.WhenAll(instances.Select(s => Task.Run(() => s.TryRequeueAsync(job.JobId, "r1", "pixazo", now, CancellationToken.None))));
        Assert.Equal(1, requeued.Count(r => r));
        Assert.Equal(2, (await store.FindAsync(job.JobId, CancellationToken.None))!.Attempt);
    }

    [Fact]
    public async Task Listing_shows_metadata_without_reading_any_request_body()
    {
        var stored = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        // A request no parser could read: a listing that read request bodies would fail on it.
        await ExecuteSqlAsync($"UPDATE jobs SET request_json = 'not json' WHERE job_id = '{stored.JobId}'");

        var listed = Assert.Single(await store.ListAsync(null, 10, CancellationToken.None));
        Assert.Equal((stored.JobId, "queued", "42"), (listed.JobId, listed.Status.ToText(), listed.Metadata["order"]));
    }

    [Fact]
    public async Task Jobs_are_counted_by_status()
    {
        var queued = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.TryClaimSubmissionAsync(queued.JobId, "pixazo", null, now, CancellationToken.None);

        Assert.Equal(1, await store.CountAsync(JobStatus.Queued, CancellationToken.None));
        Assert.Equal(1, await store.CountAsync(JobStatus.Submitting, CancellationToken.None));
        Assert.Equal(0, await store.CountAsync(JobStatus.Completed, CancellationToken.None));
    }

    [Fact]
    public async Task Archive_retries_are_claimed_when_due_counted_and_stop_once_archived()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.TryFinishAsync(job.JobId, JobEnding.Completed("pixazo", "r1", ["https://v/1.mp4"], null) with { ArchiveRetryAt = now.AddSeconds(10) },
            Guid.NewGuid(), now, CancellationToken.None);

        Assert.Empty(await store.ClaimDueArchivesAsync(now.AddSeconds(9), now.AddSeconds(20), 10, CancellationToken.None));
        var claimed = Assert.Single(await store.ClaimDueArchivesAsync(now.AddSeconds(10), now.AddSeconds(20), 10, CancellationToken.None));
        Assert.Equal(1, claimed.ArchiveAttempts);
        Assert.Empty(await store.ClaimDueArchivesAsync(now.AddSeconds(15), now.AddSeconds(25), 10, CancellationToken.None));
        Assert.Equal(2, Assert.Single(await store.ClaimDueArchivesAsync(now.AddSeconds(20), now.AddSeconds(30), 10, CancellationToken.None)).ArchiveAttempts);

        await store.MarkArchivedAsync(job.JobId, "/archive/x.mp4", CancellationToken.None);
        Assert.Empty(await store.ClaimDueArchivesAsync(now.AddHours(1), now.AddHours(2), 10, CancellationToken.None));
        Assert.Equal("/archive/x.mp4", (await store.FindAsync(job.JobId, CancellationToken.None))!.ArchivedLocation);
    }

    [Fact]
    public async Task Archived_location_given_at_the_ending_is_stored_with_it()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.TryFinishAsync(job.JobId, JobEnding.Completed("pixazo", "r1", ["https://v/1.mp4"], null) with { ArchivedLocation = "/archive/y.mp4" },
            Guid.NewGuid(), now, CancellationToken.None);
        Assert.Equal("/archive/y.mp4", (await store.FindAsync(job.JobId, CancellationToken.None))!.ArchivedLocation);
    }

    [Fact]
    public async Task Pages_are_read_by_created_at_and_id_and_stay_stable_while_jobs_are_inserted()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var command = Command();
            // Two jobs share each millisecond, so the id breaks the tie.
            await store.CreateIfAbsentAsync(command, "orders", now.AddMilliseconds(i / 2), now.AddHours(1), CancellationToken.None);
            ids.Add(command.JobId);
        }
        await store.CreateIfAbsentAsync(Command(), "billing", now, now.AddHours(1), CancellationToken.None);
        var expected = ids.Select((id, i) => (Created: i / 2, Id: id.ToString("D"))).OrderByDescending(j => j.Created).ThenByDescending(j => j.Id, StringComparer.Ordinal)
            .Select(j => Guid.Parse(j.Id)).ToList();

        var seen = new List<Guid>();
        JobPagePosition? after = null;
        while (true)
        {
            var page = await store.ListPageAsync(new JobPageQuery("orders", null, after, Descending: true, Limit: 2), CancellationToken.None);
            if (page.Count == 0) break;
            seen.AddRange(page.Select(j => j.JobId));
            after = new JobPagePosition(page[^1].CreatedAt, page[^1].JobId);
            await store.CreateIfAbsentAsync(Command(), "orders", now.AddSeconds(10 + seen.Count), now.AddHours(1), CancellationToken.None);
        }

        Assert.Equal(expected, seen);
        var listed = (await store.ListPageAsync(new JobPageQuery(null, [JobStatus.Queued], null, Descending: false, Limit: 1), CancellationToken.None)).Single();
        Assert.Equal(("prompt", "1280x720", "42"), (listed.Request.Prompt, listed.Request.Size, listed.Metadata["order"]));
    }

    [Fact]
    public async Task Cancelling_a_queued_job_and_claiming_it_exclude_each_other()
    {
        var cancelledFirst = Command();
        await store.CreateIfAbsentAsync(cancelledFirst, "orders", now, now.AddHours(1), CancellationToken.None);
        var ending = JobEnding.Failed(null, null, VideoFailureCodes.Cancelled, "cancelled");
        Assert.True(await store.TryCancelQueuedAsync(cancelledFirst.JobId, ending, Guid.NewGuid(), now, CancellationToken.None));
        Assert.Equal(ClaimResult.NotQueued, await store.TryClaimSubmissionAsync(cancelledFirst.JobId, "pixazo", null, now, CancellationToken.None));
        Assert.Empty(await store.FindDueAsync(now.AddDays(1), 10, CancellationToken.None));
        var cancelled = (await store.FindAsync(cancelledFirst.JobId, CancellationToken.None))!;
        Assert.Equal((JobStatus.Failed, VideoFailureCodes.Cancelled, "orders"), (cancelled.Status, cancelled.ErrorCode, cancelled.Caller));

        var claimedFirst = Command();
        await store.CreateIfAbsentAsync(claimedFirst, now, CancellationToken.None);
        Assert.Equal(ClaimResult.Claimed, await store.TryClaimSubmissionAsync(claimedFirst.JobId, "pixazo", null, now, CancellationToken.None));
        Assert.False(await store.TryCancelQueuedAsync(claimedFirst.JobId, ending, Guid.NewGuid(), now, CancellationToken.None));
        Assert.Equal(JobStatus.Submitting, (await store.FindAsync(claimedFirst.JobId, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Only_an_ended_job_can_be_deleted_and_a_deleted_job_is_listed_no_more()
    {
        var command = Command();
        await store.CreateIfAbsentAsync(command, "orders", now, now.AddHours(1), CancellationToken.None);
        Assert.False(await store.MarkDeletedAsync(command.JobId, now, CancellationToken.None));

        await store.TryFinishAsync(command.JobId, JobEnding.Failed(null, null, VideoFailureCodes.ProviderError, "x"), Guid.NewGuid(), now, CancellationToken.None);
        Assert.True(await store.MarkDeletedAsync(command.JobId, now, CancellationToken.None));
        Assert.False(await store.MarkDeletedAsync(command.JobId, now, CancellationToken.None));

        Assert.NotNull((await store.FindAsync(command.JobId, CancellationToken.None))!.DeletedAt);
        Assert.Empty(await store.ListPageAsync(new JobPageQuery(null, null, null, true, 10), CancellationToken.None));
    }

    [Fact]
    public async Task Gateway_attempts_calls_last_failure_and_wait_for_replay_are_kept_with_the_job()
    {
        var job = await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None);
        await store.StartAttemptAsync(job.JobId, "pixazo", now, CancellationToken.None);
        await store.RecordGatewayCallAsync(job.JobId, "pixazo is unavailable: HTTP 500", now.AddSeconds(5), now, CancellationToken.None);
        var waiting = (await store.FindAsync(job.JobId, CancellationToken.None))!;
        Assert.Equal((1, "pixazo is unavailable: HTTP 500", (DateTimeOffset?)now.AddSeconds(5)), (waiting.GatewayCalls, waiting.LastGatewayFailure, waiting.NextAttemptAt));

        await store.RecordGatewayCallAsync(job.JobId, null, null, now.AddSeconds(5), CancellationToken.None);
        await store.EndAttemptAsync(job.JobId, "pixazo is unavailable: HTTP 500", now.AddSeconds(6), CancellationToken.None);
        await store.StartAttemptAsync(job.JobId, "apixo", now.AddSeconds(7), CancellationToken.None);
        await store.EndAttemptAsync(job.JobId, "apixo is unavailable: HTTP 429", now.AddSeconds(8), CancellationToken.None);
        await store.MarkAwaitingReplayAsync(job.JobId, CancellationToken.None);
        var parked = (await store.FindAsync(job.JobId, CancellationToken.None))!;
        Assert.Equal((2, "pixazo is unavailable: HTTP 500", true), (parked.GatewayCalls, parked.LastGatewayFailure, parked.AwaitingReplay));
        Assert.Equal([new JobAttempt("pixazo", now, now.AddSeconds(6), "pixazo is unavailable: HTTP 500"),
            new JobAttempt("apixo", now.AddSeconds(7), now.AddSeconds(8), "apixo is unavailable: HTTP 429")], parked.Attempts);

        // A replayed command starts a new attempt: the wait is over.
        await store.StartAttemptAsync(job.JobId, "pixazo", now.AddSeconds(9), CancellationToken.None);
        var replayed = (await store.FindAsync(job.JobId, CancellationToken.None))!;
        Assert.False(replayed.AwaitingReplay);
        Assert.Equal(new JobAttempt("pixazo", now.AddSeconds(9), null, null), replayed.Attempts[2]);
        await store.TryFinishAsync(job.JobId, JobEnding.Failed("pixazo", null, "timed_out", "late"), Guid.NewGuid(), now.AddSeconds(10), CancellationToken.None);
        Assert.Equal("pixazo is unavailable: HTTP 500", (await store.FindAsync(job.JobId, CancellationToken.None))!.LastGatewayFailure);
    }
}
