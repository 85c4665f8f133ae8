using System.Data.Common;
using System.Text.Json;
using Dapper;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Jobs;

/// <summary>
/// What SQLite and PostgreSQL share: portable columns (text, integers, Unix milliseconds) mapped by
/// <see cref="JobRow"/>, and every state change as one conditional <c>UPDATE</c>, so concurrent consumers,
/// redeliveries and duplicate callbacks can never move a job backwards or end it twice. A store adds its schema,
/// its connections, and the few statements whose safety depends on the database: the claim against a gateway's
/// concurrency limit, the request ledger, and claiming due work.
/// </summary>
public abstract partial class SqlJobStore : IJobStore
{
    protected const string Terminal = "('completed','failed')";

    // The statements that read due work, internal so a test can EXPLAIN exactly what runs.

    internal const string ClaimSql = """
        UPDATE jobs SET status = 'submitting', provider = @Provider, next_try_at = NULL, updated_at = @Now
        WHERE job_id = @JobId AND status = 'queued'
          AND (@Max IS NULL OR (SELECT COUNT(*) FROM jobs WHERE provider = @Provider AND status IN ('submitting', 'submitted')) < @Max)
        """;

    internal const string FindDueSql = """
        SELECT * FROM jobs WHERE status = 'queued' AND next_try_at IS NOT NULL AND next_try_at <= @Now
        ORDER BY next_try_at LIMIT @Limit
        """;

    internal const string FindOpenCreatedBeforeSql = """
        SELECT * FROM jobs WHERE status IN ('queued', 'submitting', 'submitted') AND created_at <= @Cutoff
        ORDER BY created_at LIMIT @Limit
        """;

    internal const string FindUnpublishedEndedBeforeSql = $"""
        SELECT job_id FROM jobs WHERE status IN {Terminal} AND terminal_published = 0 AND finished_at <= @Cutoff
        ORDER BY finished_at LIMIT @Limit
        """;

    internal const string ClaimStatusQuerySql = """
        UPDATE jobs SET next_poll_at = @Next, status_query_until = @Lease
        WHERE job_id = @JobId AND status = 'submitted'
          AND (status_query_until IS NULL OR status_query_until <= @Now)
          AND (next_poll_at IS NULL OR next_poll_at <= @Now OR next_poll_at > @Next)
        """;

    /// <summary>
    /// Gives a gateway its request slots, numbered from 0; more are added when its limit grows, and those above a
    /// lowered limit are simply never taken. <c>WHERE true</c> lets SQLite tell the upsert from a join.
    /// </summary>
    private const string ProvisionSlotsSql = """
        WITH RECURSIVE numbers(slot) AS (SELECT 0 UNION ALL SELECT slot + 1 FROM numbers WHERE slot + 1 < @PerMinute)
        INSERT INTO gateway_slots (provider, slot, free_at)
        SELECT @Provider, slot, 0 FROM numbers WHERE true
        ON CONFLICT (provider, slot) DO NOTHING
        """;

    /// <summary>Which (gateway, limit) pairs this object has already provisioned slots for.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Provider, int PerMinute), Lazy<Task>> provisioned = new();

    static SqlJobStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public abstract Task InitializeAsync(CancellationToken ct);

    public abstract Task<ClaimResult> TryClaimSubmissionAsync(Guid jobId, string provider, int? maxConcurrent, DateTimeOffset now, CancellationToken ct);

    public abstract Task<GatewayCallSlot?> TryTakeGatewayCallAsync(string provider, int perMinute, DateTimeOffset now, DateTimeOffset heldUntil, CancellationToken ct);

    public abstract Task<IReadOnlyList<Job>> ClaimDuePollsAsync(string provider, DateTimeOffset now, DateTimeOffset nextPollAt, int limit, CancellationToken ct);

    public abstract Task<IReadOnlyList<Job>> ClaimDueArchivesAsync(DateTimeOffset now, DateTimeOffset nextAt, int limit, CancellationToken ct);

    protected abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>
    /// A text parameter as the database needs it written: PostgreSQL cannot infer the type of a parameter that
    /// is only compared with NULL or passed to COALESCE, so it gets a cast there; SQLite needs none.
    /// </summary>
    protected virtual string Text(string parameter) => parameter;

    public Task<Job> CreateIfAbsentAsync(GenerateVideo request, DateTimeOffset now, CancellationToken ct) =>
        CreateIfAbsentAsync(request, now, null, ct);

    public Task<Job> CreateIfAbsentAsync(GenerateVideo request, DateTimeOffset now, DateTimeOffset dueAt, CancellationToken ct) =>
        CreateIfAbsentAsync(request, now, (DateTimeOffset?)dueAt, ct);

    public Task<Job> CreateIfAbsentAsync(GenerateVideo request, string? caller, DateTimeOffset now, DateTimeOffset dueAt, CancellationToken ct) =>
        CreateIfAbsentAsync(request, now, (DateTimeOffset?)dueAt, ct, caller);

    private async Task<Job> CreateIfAbsentAsync(GenerateVideo request, DateTimeOffset now, DateTimeOffset? dueAt, CancellationToken ct, string? caller = null)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO jobs (job_id, status, request_json, metadata_json, provider, attempt, created_at, updated_at, next_try_at, caller,
                              prompt, size, seconds, model)
            VALUES (@JobId, 'queued', @RequestJson, @MetadataJson, NULL, 1, @Now, @Now, @DueAt, @Caller,
                    @Prompt, @Size, @Seconds, @Model)
            ON CONFLICT (job_id) DO NOTHING
            """, new
        {
            JobId = Key(request.JobId),
            Caller = caller,
            request.Prompt,
            request.Size,
            request.Seconds,
            request.Model,
            RequestJson = JsonSerializer.Serialize(request, JobRow.Json),
            MetadataJson = request.Metadata is null ? null : JsonSerializer.Serialize(request.Metadata, JobRow.Json),
            Now = JobRow.ToUnixMs(now),
            DueAt = JobRow.ToUnixMs(dueAt),
        }, cancellationToken: ct));
        return await FindAsync(connection, request.JobId, ct)
               ?? throw new InvalidOperationException($"Job {request.JobId} vanished right after it was stored.");
    }

    public async Task<Job?> FindAsync(Guid jobId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await FindAsync(connection, jobId, ct);
    }

    /// <summary>Every column but the request: what a listed job shows, without reading a request body that may be megabytes.</summary>
    internal const string ListedColumns = """
        job_id, status, metadata_json, provider, provider_request_id, attempt, video_urls_json, expires_at, error_code,
        error_reason, created_at, updated_at, submitted_at, finished_at, terminal_message_id, terminal_published,
        next_try_at, avoid_provider, archived_location, archive_attempts, caller, deleted_at,
        prompt, size, seconds, model,
        gateway_calls, last_gateway_failure, next_attempt_at, awaiting_replay
        """;

    public async Task<IReadOnlyList<Job>> ListPageAsync(JobPageQuery query, CancellationToken ct)
    {
        var order = query.Descending ? "DESC" : "ASC";
        var beyond = query.Descending ? "<" : ">";
        var where = new List<string> { "deleted_at IS NULL" };
        if (query.Caller is not null) where.Add("caller = @Caller");
        if (query.Statuses is { Count: > 0 } statuses)
            where.Add($"status IN ({string.Join(", ", statuses.Select(s => $"'{s.ToText()}'"))})"); // enum names, never input
        if (query.After is not null)
            where.Add($"(created_at {beyond} @AfterCreated OR (created_at = @AfterCreated AND job_id {beyond} @AfterId))");
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition($"""
            SELECT {ListedColumns} FROM jobs WHERE {string.Join(" AND ", where)}
            ORDER BY created_at {order}, job_id {order} LIMIT @Limit
            """, new
        {
            query.Caller,
            AfterCreated = query.After is { } after ? JobRow.ToUnixMs(after.CreatedAt) : 0,
            AfterId = query.After is { } position ? Key(position.JobId) : "",
            query.Limit,
        }, cancellationToken: ct));
        return rows.Select(r => r.ToListedJob()).ToList();
    }

    public Task<bool> TryCancelQueuedAsync(Guid jobId, JobEnding ending, Guid terminalMessageId, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync("""
            UPDATE jobs SET status = 'failed', error_code = @ErrorCode, error_reason = @ErrorReason,
                            terminal_message_id = @MessageId, next_try_at = NULL, finished_at = @Now, updated_at = @Now
            WHERE job_id = @JobId AND status = 'queued'
            """, new
        {
            JobId = Key(jobId),
            ending.ErrorCode,
            ending.ErrorReason,
            MessageId = terminalMessageId.ToString(),
            Now = JobRow.ToUnixMs(now),
        }, ct);

    public Task<bool> MarkDeletedAsync(Guid jobId, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync($"UPDATE jobs SET deleted_at = @Now WHERE job_id = @JobId AND status IN {Terminal} AND deleted_at IS NULL",
            new { JobId = Key(jobId), Now = JobRow.ToUnixMs(now) }, ct);

    public async Task<IReadOnlyList<Job>> ListAsync(JobStatus? status, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition($"""
            SELECT {ListedColumns} FROM jobs WHERE ({Text("@Status")} IS NULL OR status = {Text("@Status")}) ORDER BY created_at DESC LIMIT @Limit
            """, new { Status = status?.ToText(), Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToListedJob()).ToList();
    }

    public async Task<long> CountAsync(JobStatus status, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM jobs WHERE status = @Status", new { Status = status.ToText() }, cancellationToken: ct));
    }

    public Task ReleaseSubmissionAsync(Guid jobId, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync("""
            UPDATE jobs SET status = 'queued', updated_at = @Now
            WHERE job_id = @JobId AND status = 'submitting'
            """, new { JobId = Key(jobId), Now = JobRow.ToUnixMs(now) }, ct);

    public Task ReleaseSubmissionAsync(Guid jobId, DateTimeOffset now, DateTimeOffset retryAt, CancellationToken ct) =>
        UpdateAsync("""
            UPDATE jobs SET status = 'queued', next_try_at = @RetryAt, updated_at = @Now
            WHERE job_id = @JobId AND status = 'submitting'
            """, new { JobId = Key(jobId), Now = JobRow.ToUnixMs(now), RetryAt = JobRow.ToUnixMs(retryAt) }, ct);

    public Task DeferAsync(Guid jobId, DateTimeOffset when, CancellationToken ct) =>
        UpdateAsync("UPDATE jobs SET next_try_at = @When WHERE job_id = @JobId AND status = 'queued'",
            new { JobId = Key(jobId), When = JobRow.ToUnixMs(when) }, ct);

    public Task<IReadOnlyList<Job>> FindDueAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        QueryJobsAsync(FindDueSql, new { Now = JobRow.ToUnixMs(now), Limit = limit }, ct);

    public Task<bool> MarkSubmittedAsync(Guid jobId, string provider, string providerRequestId, DateTimeOffset now, DateTimeOffset firstPollAt, CancellationToken ct) =>
        UpdateAsync($"""
            UPDATE jobs SET status = CASE WHEN status IN {Terminal} THEN status ELSE 'submitted' END,
                            provider = @Provider, provider_request_id = @RequestId, next_poll_at = @FirstPoll,
                            submitted_at = @Now, updated_at = @Now
            WHERE job_id = @JobId AND (status IN ('submitting', 'queued') OR (status IN {Terminal} AND provider_request_id IS NULL))
            """, new { JobId = Key(jobId), Provider = provider, RequestId = providerRequestId, Now = JobRow.ToUnixMs(now), FirstPoll = JobRow.ToUnixMs(firstPollAt) }, ct);

    public Task EndGatewayCallAsync(GatewayCallSlot slot, DateTimeOffset freeAt, CancellationToken ct) =>
        // Only while the slot is still ours: a call that outlived its hold may find the slot taken by another.
        UpdateAsync("""
            UPDATE gateway_slots SET free_at = @FreeAt
            WHERE provider = @Provider AND slot = @Slot AND free_at = @HeldUntil
            """, new { slot.Provider, slot.Slot, HeldUntil = JobRow.ToUnixMs(slot.HeldUntil), FreeAt = JobRow.ToUnixMs(freeAt) }, ct);

    public Task<bool> TryClaimStatusQueryAsync(Guid jobId, DateTimeOffset now, DateTimeOffset nextPollAt, DateTimeOffset leaseUntil, CancellationToken ct) =>
        UpdateAsync(ClaimStatusQuerySql, new
        {
            JobId = Key(jobId),
            Now = JobRow.ToUnixMs(now),
            Next = JobRow.ToUnixMs(nextPollAt),
            Lease = JobRow.ToUnixMs(leaseUntil),
        }, ct);

    public Task EndStatusQueryAsync(Guid jobId, DateTimeOffset leaseUntil, DateTimeOffset nextPollAt, CancellationToken ct) =>
        UpdateAsync("""
            UPDATE jobs SET status_query_until = NULL, next_poll_at = @Next
            WHERE job_id = @JobId AND status_query_until = @Lease
            """, new { JobId = Key(jobId), Lease = JobRow.ToUnixMs(leaseUntil), Next = JobRow.ToUnixMs(nextPollAt) }, ct);

    /// <summary>
    /// Makes sure <paramref name="provider"/> has <paramref name="perMinute"/> slots, once per store object and limit;
    /// concurrent callers wait for the same insert, and a failed one is tried again by the next caller.
    /// </summary>
    protected async Task EnsureGatewaySlotsAsync(string provider, int perMinute, CancellationToken ct)
    {
        var key = (provider, perMinute);
        var provisioning = provisioned.GetOrAdd(key, _ => new Lazy<Task>(async () =>
        {
            await using var connection = await OpenAsync(CancellationToken.None);
            await connection.ExecuteAsync(new CommandDefinition(ProvisionSlotsSql,
                new { Provider = provider, PerMinute = perMinute }, cancellationToken: CancellationToken.None));
        }));
        try
        {
            await provisioning.Value.WaitAsync(ct);
        }
        catch (Exception) when (provisioning.Value.IsFaulted)
        {
            provisioned.TryRemove(new KeyValuePair<(string, int), Lazy<Task>>(key, provisioning));
            throw;
        }
    }

    public Task<IReadOnlyList<Job>> FindOpenCreatedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken ct) =>
        QueryJobsAsync(FindOpenCreatedBeforeSql, new { Cutoff = JobRow.ToUnixMs(cutoff), Limit = limit }, ct);

    public async Task<IReadOnlyList<Guid>> FindUnpublishedEndedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(FindUnpublishedEndedBeforeSql,
            new { Cutoff = JobRow.ToUnixMs(cutoff), Limit = limit }, cancellationToken: ct));
        return ids.Select(Guid.Parse).ToList();
    }

    public Task<bool> TryRequeueAsync(Guid jobId, string providerRequestId, string avoidProvider, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync("""
            UPDATE jobs SET status = 'queued', attempt = attempt + 1, provider_request_id = NULL,
                            avoid_provider = @Avoid, next_try_at = @Now, updated_at = @Now
            WHERE job_id = @JobId AND status = 'submitted' AND provider_request_id = @RequestId
            """, new { JobId = Key(jobId), RequestId = providerRequestId, Avoid = avoidProvider, Now = JobRow.ToUnixMs(now) }, ct);

    /// <summary>
    /// The statement that ends a job, with what to set besides the ending (<paramref name="also"/>) and what to
    /// return (<paramref name="returning"/>): ending a job is decided here and nowhere else.
    /// </summary>
    private string EndJobSql(string also = "", string returning = "") => $"""
        UPDATE jobs SET status = @Status,
                        provider = COALESCE({Text("@Provider")}, provider),
                        provider_request_id = COALESCE({Text("@RequestId")}, provider_request_id),
                        video_urls_json = @Urls, expires_at = @ExpiresAt,
                        error_code = @ErrorCode, error_reason = @ErrorReason,
                        terminal_message_id = @MessageId,
                        archived_location = @Archived, archive_next_at = @ArchiveNext,
                        next_attempt_at = NULL, awaiting_replay = 0,{also}
                        finished_at = @Now, updated_at = @Now
        WHERE job_id = @JobId AND status NOT IN {Terminal}
        {returning}
        """;

    private static object EndJobParameters(Guid jobId, JobEnding ending, Guid terminalMessageId, DateTimeOffset now, DateTimeOffset? publishLeaseUntil = null) => new
    {
        JobId = Key(jobId),
        Status = ending.Status.ToText(),
        ending.Provider,
        RequestId = ending.ProviderRequestId,
        Urls = ending.VideoUrls.Count == 0 ? null : JsonSerializer.Serialize(ending.VideoUrls, JobRow.Json),
        ExpiresAt = JobRow.ToUnixMs(ending.ExpiresAt),
        ending.ErrorCode,
        ending.ErrorReason,
        MessageId = terminalMessageId.ToString(),
        Archived = ending.ArchivedLocation,
        ArchiveNext = JobRow.ToUnixMs(ending.ArchiveRetryAt),
        Now = JobRow.ToUnixMs(now),
        LeaseUntil = JobRow.ToUnixMs(publishLeaseUntil),
    };

    public Task<bool> TryFinishAsync(Guid jobId, JobEnding ending, Guid terminalMessageId, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync(EndJobSql(), EndJobParameters(jobId, ending, terminalMessageId, now), ct);

    public async Task<Job?> TryEndAsync(Guid jobId, JobEnding ending, Guid terminalMessageId, DateTimeOffset now, DateTimeOffset publishLeaseUntil, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        // One transaction, one commit (on SQLite one fsync) for the ending, its lease and its attempt; SQLite's
        // transaction is BEGIN IMMEDIATE, so it waits for the write lock up front instead of failing to upgrade.
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var ended = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            EndJobSql(also: " publish_lease_until = @LeaseUntil,", returning: "RETURNING *"),
            EndJobParameters(jobId, ending, terminalMessageId, now, publishLeaseUntil), transaction, cancellationToken: ct));
        if (ended is null) return null;
        await connection.ExecuteAsync(new CommandDefinition(EndAttemptSql,
            new { JobId = Key(jobId), Why = ending.LeftGatewayBecause, Now = JobRow.ToUnixMs(now) }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return ended.ToJob();
    }

    public Task<bool> TryLeaseTerminalPublishAsync(Guid jobId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct) =>
        UpdateAsync($"""
            UPDATE jobs SET publish_lease_until = @LeaseUntil
            WHERE job_id = @JobId AND status IN {Terminal} AND terminal_published = 0
              AND (publish_lease_until IS NULL OR publish_lease_until < @Now)
            """, new { JobId = Key(jobId), Now = JobRow.ToUnixMs(now), LeaseUntil = JobRow.ToUnixMs(leaseUntil) }, ct);

    public Task MarkTerminalPublishedAsync(Guid jobId, CancellationToken ct) => MarkTerminalPublishedAsync([jobId], ct);

    public Task MarkTerminalPublishedAsync(IReadOnlyCollection<Guid> jobIds, CancellationToken ct) =>
        UpdateAsync($"UPDATE jobs SET terminal_published = 1, publish_lease_until = NULL WHERE job_id {InList("@JobIds")}",
            new { JobIds = jobIds.Select(Key).ToArray() }, ct);

    /// <summary>
    /// "Is one of this list" as the database takes a list parameter: Dapper writes it out as one parameter per
    /// item for SQLite, but hands PostgreSQL the whole array, which <c>= ANY</c> reads.
    /// </summary>
    protected virtual string InList(string parameter) => "IN " + parameter;

    public Task ReleaseTerminalPublishAsync(Guid jobId, CancellationToken ct) =>
        UpdateAsync("UPDATE jobs SET publish_lease_until = NULL WHERE job_id = @JobId AND terminal_published = 0",
            new { JobId = Key(jobId) }, ct);

    public Task MarkArchivedAsync(Guid jobId, string? location, CancellationToken ct) =>
        UpdateAsync($"UPDATE jobs SET archived_location = COALESCE({Text("@Location")}, archived_location), archive_next_at = NULL WHERE job_id = @JobId",
            new { JobId = Key(jobId), Location = location }, ct);

    public Task StartAttemptAsync(Guid jobId, string provider, DateTimeOffset now, CancellationToken ct) =>
        // The claim makes this job's submitter the only writer of its attempts, so numbering by MAX cannot collide.
        UpdateAsync($"""
            UPDATE jobs SET awaiting_replay = 0 WHERE job_id = @JobId;
            INSERT INTO job_attempts (job_id, seq, provider, started_at)
            SELECT {Text("@JobId")}, COALESCE(MAX(seq), 0) + 1, {Text("@Provider")}, @Now FROM job_attempts WHERE job_id = @JobId
            """, new { JobId = Key(jobId), Provider = provider, Now = JobRow.ToUnixMs(now) }, ct);

    public Task RecordGatewayCallAsync(Guid jobId, string? failure, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync($"""
            UPDATE jobs SET gateway_calls = gateway_calls + 1,
                            last_gateway_failure = COALESCE({Text("@Failure")}, last_gateway_failure),
                            next_attempt_at = @Next, updated_at = @Now
            WHERE job_id = @JobId AND status NOT IN {Terminal}
            """, new { JobId = Key(jobId), Failure = failure, Next = JobRow.ToUnixMs(nextAttemptAt), Now = JobRow.ToUnixMs(now) }, ct);

    private const string EndAttemptSql = """
        UPDATE job_attempts SET ended_at = @Now, left_because = @Why
        WHERE job_id = @JobId AND ended_at IS NULL
        """;

    public Task EndAttemptAsync(Guid jobId, string? leftBecause, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync(EndAttemptSql, new { JobId = Key(jobId), Why = leftBecause, Now = JobRow.ToUnixMs(now) }, ct);

    public Task MarkAwaitingReplayAsync(Guid jobId, CancellationToken ct) =>
        UpdateAsync("UPDATE jobs SET awaiting_replay = 1, next_attempt_at = NULL WHERE job_id = @JobId AND status = 'queued'",
            new { JobId = Key(jobId) }, ct);

    /// <summary>What a claim that changed no row means: the gateway is full, or the job is not queued any more.</summary>
    protected async Task<ClaimResult> ClaimOutcomeAsync(bool claimed, Guid jobId, CancellationToken ct)
    {
        if (claimed) return ClaimResult.Claimed;
        var job = await FindAsync(jobId, ct);
        return job?.Status == JobStatus.Queued ? ClaimResult.AtLimit : ClaimResult.NotQueued;
    }

    protected async Task<IReadOnlyList<Job>> QueryJobsAsync(string sql, object parameters, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(sql, parameters, cancellationToken: ct));
        return rows.Select(r => r.ToJob()).ToList();
    }

    protected async Task<bool> UpdateAsync(string sql, object parameters, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct)) > 0;
    }

    protected static string Key(Guid jobId) => jobId.ToString("D");

    private static async Task<Job?> FindAsync(DbConnection connection, Guid jobId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            "SELECT * FROM jobs WHERE job_id = @JobId", new { JobId = Key(jobId) }, cancellationToken: ct));
        if (row is null) return null;
        var attempts = await connection.QueryAsync<(string Provider, long StartedAt, long? EndedAt, string? LeftBecause)>(new CommandDefinition(
            "SELECT provider, started_at, ended_at, left_because FROM job_attempts WHERE job_id = @JobId ORDER BY seq",
            new { JobId = Key(jobId) }, cancellationToken: ct));
        return row.ToJob() with
        {
            Attempts = attempts.Select(a => new JobAttempt(a.Provider, DateTimeOffset.FromUnixTimeMilliseconds(a.StartedAt),
                JobRow.FromUnixMs(a.EndedAt), a.LeftBecause)).ToList(),
        };
    }
}
