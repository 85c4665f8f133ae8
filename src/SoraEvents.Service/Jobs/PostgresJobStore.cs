using System.Data;
using System.Text.Json;
using Dapper;
using Npgsql;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Jobs;

/// <summary>
/// The job store for several instances on one PostgreSQL database. Same portable columns as SQLite (text,
/// bigint Unix milliseconds), so <see cref="JobRow"/> maps both. SQLite gets its safety from its single writer;
/// here every state change is still one conditional <c>UPDATE</c> (row locks settle races on one job), and the two
/// checks that count rows across jobs — the per-gateway concurrency limit and the request ledger — run under a
/// per-gateway transaction-scoped advisory lock, so two instances can never both take the last slot.
/// Due work is claimed with <c>FOR UPDATE SKIP LOCKED</c>, so instances never claim the same row.
/// </summary>
public sealed class PostgresJobStore : IJobStore, IAsyncDisposable, IDisposable
{
    static PostgresJobStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    private const string Terminal = "('completed','failed')";

    /// <summary>
    /// First key of our two-key advisory locks (<c>pg_advisory_xact_lock(int, int)</c>), "SoEv"; the second is
    /// <c>hashtext</c> of the lock's name. A hash collision only makes two unrelated things take turns.
    /// </summary>
    private const int LockSpace = 0x536F4576;
    private const string LockSql = "SELECT pg_advisory_xact_lock(@LockSpace, hashtext(@LockName))";

    /// <summary>Schema versions in order; <c>schema_version</c> holds one row per version applied.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE jobs (
            job_id text PRIMARY KEY,
            status text NOT NULL,
            request_json text NOT NULL,
            provider text NULL,
            provider_request_id text NULL,
            attempt bigint NOT NULL DEFAULT 1,
            video_urls_json text NULL,
            expires_at bigint NULL,
            error_code text NULL,
            error_reason text NULL,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            submitted_at bigint NULL,
            finished_at bigint NULL,
            terminal_message_id text NULL,
            terminal_published bigint NOT NULL DEFAULT 0,
            publish_lease_until bigint NULL,
            next_try_at bigint NULL,
            avoid_provider text NULL,
            next_poll_at bigint NULL
        );
        -- Each due-time query reads only the rows that are due: partial indexes hold just the jobs concerned.
        CREATE INDEX ix_jobs_due ON jobs (next_try_at) WHERE status = 'queued' AND next_try_at IS NOT NULL;
        CREATE INDEX ix_jobs_in_flight ON jobs (provider) WHERE status IN ('submitting', 'submitted');
        CREATE INDEX ix_jobs_poll ON jobs (provider, next_poll_at) WHERE status = 'submitted';
        CREATE INDEX ix_jobs_open ON jobs (created_at) WHERE status IN ('queued', 'submitting', 'submitted');
        CREATE INDEX ix_jobs_unpublished ON jobs (finished_at) WHERE status IN ('completed', 'failed') AND terminal_published = 0;
        CREATE INDEX ix_jobs_listing ON jobs (status, created_at);
        CREATE INDEX ix_jobs_created ON jobs (created_at);
        CREATE TABLE gateway_calls (provider text NOT NULL, at bigint NOT NULL);
        CREATE INDEX ix_gateway_calls ON gateway_calls (provider, at);
        """,
        """
        ALTER TABLE jobs ADD COLUMN archived_location text NULL;
        ALTER TABLE jobs ADD COLUMN archive_attempts bigint NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN archive_next_at bigint NULL;
        CREATE INDEX ix_jobs_archive_due ON jobs (archive_next_at) WHERE archive_next_at IS NOT NULL;
        """,
    ];

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

    internal const string ClaimDuePollsSql = """
        WITH due AS (
            SELECT job_id FROM jobs
            WHERE provider = @Provider AND status = 'submitted' AND next_poll_at <= @Now
            ORDER BY next_poll_at LIMIT @Limit
            FOR UPDATE SKIP LOCKED)
        UPDATE jobs SET next_poll_at = @Next
        FROM due WHERE jobs.job_id = due.job_id
        RETURNING jobs.*
        """;

    internal const string FindOpenCreatedBeforeSql = """
        SELECT * FROM jobs WHERE status IN ('queued', 'submitting', 'submitted') AND created_at <= @Cutoff
        ORDER BY created_at LIMIT @Limit
        """;

    internal const string FindUnpublishedEndedBeforeSql = $"""
        SELECT job_id FROM jobs WHERE status IN {Terminal} AND terminal_published = 0 AND finished_at <= @Cutoff
        ORDER BY finished_at LIMIT @Limit
        """;

    private readonly NpgsqlDataSource dataSource;

    /// <param name="connectionString">An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>).</param>
    public PostgresJobStore(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "SoraEvents";
        dataSource = NpgsqlDataSource.Create(builder);
    }

    public async Task InitializeAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Instances starting together queue here; the second one finds every version applied already.
        await Execute(connection, transaction, LockSql, new { LockSpace, LockName = "migrate" }, ct);
        await Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at bigint NOT NULL)", null, ct);
        var applied = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(MAX(version), 0) FROM schema_version", transaction: transaction, cancellationToken: ct));
        for (var version = applied; version < Migrations.Length; version++)
        {
            await Execute(connection, transaction, Migrations[version], null, ct);
            await Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES (@Version, @Now)",
                new { Version = version + 1, Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, ct);
        }
        await transaction.CommitAsync(ct);
    }

    public async Task<Job> CreateIfAbsentAsync(GenerateVideo request, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO jobs (job_id, status, request_json, provider, attempt, created_at, updated_at)
            VALUES (@JobId, 'queued', @RequestJson, NULL, 1, @Now, @Now)
            ON CONFLICT (job_id) DO NOTHING
            """, new
        {
            JobId = Key(request.JobId),
            RequestJson = JsonSerializer.Serialize(request, JobRow.Json),
            Now = JobRow.ToUnixMs(now),
        }, cancellationToken: ct));
        return await FindAsync(connection, request.JobId, ct)
               ?? throw new InvalidOperationException($"Job {request.JobId} vanished right after it was stored.");
    }

    public async Task<Job?> FindAsync(Guid jobId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await FindAsync(connection, jobId, ct);
    }

    public async Task<IReadOnlyList<Job>> ListAsync(JobStatus? status, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition("""
            SELECT * FROM jobs WHERE (@Status::text IS NULL OR status = @Status::text) ORDER BY created_at DESC LIMIT @Limit
            """, new { Status = status?.ToText(), Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToJob()).ToList();
    }

    public async Task<ClaimResult> TryClaimSubmissionAsync(Guid jobId, string provider, int? maxConcurrent, DateTimeOffset now, CancellationToken ct)
    {
        bool claimed;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            if (maxConcurrent is null)
            {
                claimed = await connection.ExecuteAsync(new CommandDefinition(ClaimSql,
                    new { JobId = Key(jobId), Provider = provider, Max = (int?)null, Now = JobRow.ToUnixMs(now) }, cancellationToken: ct)) > 0;
            }
            else
            {
                // Unlike SQLite, PostgreSQL lets two of these UPDATEs run at once, each counting nine tasks in flight
                // and both claiming the tenth slot. Claims for one gateway therefore take turns: the count in the
                // UPDATE (a new snapshot, taken after the lock) sees every claim committed before it.
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
                await Execute(connection, transaction, LockSql, new { LockSpace, LockName = "claim:" + provider }, ct);
                claimed = await connection.ExecuteAsync(new CommandDefinition(ClaimSql,
                    new { JobId = Key(jobId), Provider = provider, Max = maxConcurrent, Now = JobRow.ToUnixMs(now) },
                    transaction, cancellationToken: ct)) > 0;
                await transaction.CommitAsync(ct);
            }
        }
        if (claimed) return ClaimResult.Claimed;
        var job = await FindAsync(jobId, ct);
        return job?.Status == JobStatus.Queued ? ClaimResult.AtLimit : ClaimResult.NotQueued;
    }

    public Task ReleaseSubmissionAsync(Guid jobId, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync("""
            UPDATE jobs SET status = 'queued', updated_at = @Now
            WHERE job_id = @JobId AND status = 'submitting'
            """, new { JobId = Key(jobId), Now = JobRow.ToUnixMs(now) }, ct);

    public Task DeferAsync(Guid jobId, DateTimeOffset when, CancellationToken ct) =>
        UpdateAsync("UPDATE jobs SET next_try_at = @When WHERE job_id = @JobId AND status = 'queued'",
            new { JobId = Key(jobId), When = JobRow.ToUnixMs(when) }, ct);

    public async Task<IReadOnlyList<Job>> FindDueAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(FindDueSql,
            new { Now = JobRow.ToUnixMs(now), Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToJob()).ToList();
    }

    public async Task<bool> TryTakeGatewayCallAsync(string provider, int perMinute, DateTimeOffset now, CancellationToken ct)
    {
        var parameters = new
        {
            LockSpace,
            LockName = "calls:" + provider,
            Provider = provider,
            Now = JobRow.ToUnixMs(now),
            WindowStart = JobRow.ToUnixMs(now.AddMinutes(-1)),
            PerMinute = perMinute,
        };
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        // One gateway's ledger is written by one caller at a time, so the count below is never stale.
        await Execute(connection, transaction, LockSql, parameters, ct);
        await Execute(connection, transaction, "DELETE FROM gateway_calls WHERE provider = @Provider AND at <= @WindowStart", parameters, ct);
        var taken = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO gateway_calls (provider, at)
            SELECT @Provider, @Now WHERE (SELECT COUNT(*) FROM gateway_calls WHERE provider = @Provider AND at > @WindowStart) < @PerMinute
            """, parameters, transaction, cancellationToken: ct)) == 1;
        await transaction.CommitAsync(ct);
        return taken;
    }

    public Task<bool> MarkSubmittedAsync(Guid jobId, string provider, string providerRequestId, DateTimeOffset now, DateTimeOffset firstPollAt, CancellationToken ct) =>
        UpdateAsync($"""
            UPDATE jobs SET status = CASE WHEN status IN {Terminal} THEN status ELSE 'submitted' END,
                            provider = @Provider, provider_request_id = @RequestId, next_poll_at = @FirstPoll,
                            submitted_at = @Now, updated_at = @Now
            WHERE job_id = @JobId AND (status IN ('submitting', 'queued') OR (status IN {Terminal} AND provider_request_id IS NULL))
            """, new { JobId = Key(jobId), Provider = provider, RequestId = providerRequestId, Now = JobRow.ToUnixMs(now), FirstPoll = JobRow.ToUnixMs(firstPollAt) }, ct);

    public async Task<long> CountAsync(JobStatus status, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM jobs WHERE status = @Status", new { Status = status.ToText() }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Job>> ClaimDueArchivesAsync(DateTimeOffset now, DateTimeOffset nextAt, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition("""
            WITH due AS (
                SELECT job_id FROM jobs WHERE archive_next_at IS NOT NULL AND archive_next_at <= @Now
                ORDER BY archive_next_at LIMIT @Limit
                FOR UPDATE SKIP LOCKED)
            UPDATE jobs SET archive_next_at = @Next, archive_attempts = archive_attempts + 1
            FROM due WHERE jobs.job_id = due.job_id
            RETURNING jobs.*
            """, new { Now = JobRow.ToUnixMs(now), Next = JobRow.ToUnixMs(nextAt), Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToJob()).ToList();
    }

    public Task MarkArchivedAsync(Guid jobId, string? location, CancellationToken ct) =>
        UpdateAsync("UPDATE jobs SET archived_location = COALESCE(@Location::text, archived_location), archive_next_at = NULL WHERE job_id = @JobId",
            new { JobId = Key(jobId), Location = location }, ct);

    public async Task<IReadOnlyList<Job>> ClaimDuePollsAsync(string provider, DateTimeOffset now, DateTimeOffset nextPollAt, int limit, CancellationToken ct)
    {
        // The CTE locks the due rows, skipping those another instance is claiming right now; moving next_poll_at
        // in the same statement is the claim, so the next sweep (here or elsewhere) no longer sees them as due.
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(ClaimDuePollsSql,
            new { Provider = provider, Now = JobRow.ToUnixMs(now), Next = JobRow.ToUnixMs(nextPollAt), Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToJob()).ToList();
    }

    public async Task<IReadOnlyList<Job>> FindOpenCreatedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(FindOpenCreatedBeforeSql,
            new { Cutoff = JobRow.ToUnixMs(cutoff), Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToJob()).ToList();
    }

    public async Task<IReadOnlyList<Guid>> FindUnpublishedEndedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
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

    public Task<bool> TryFinishAsync(Guid jobId, JobEnding ending, Guid terminalMessageId, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync($"""
            UPDATE jobs SET status = @Status,
                            provider = COALESCE(@Provider::text, provider),
                            provider_request_id = COALESCE(@RequestId::text, provider_request_id),
                            video_urls_json = @Urls, expires_at = @ExpiresAt,
                            error_code = @ErrorCode, error_reason = @ErrorReason,
                            terminal_message_id = @MessageId,
                            archived_location = @Archived, archive_next_at = @ArchiveNext,
                            finished_at = @Now, updated_at = @Now
            WHERE job_id = @JobId AND status NOT IN {Terminal}
            """, new
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
        }, ct);

    public Task<bool> TryLeaseTerminalPublishAsync(Guid jobId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct) =>
        UpdateAsync($"""
            UPDATE jobs SET publish_lease_until = @LeaseUntil
            WHERE job_id = @JobId AND status IN {Terminal} AND terminal_published = 0
              AND (publish_lease_until IS NULL OR publish_lease_until < @Now)
            """, new { JobId = Key(jobId), Now = JobRow.ToUnixMs(now), LeaseUntil = JobRow.ToUnixMs(leaseUntil) }, ct);

    public Task MarkTerminalPublishedAsync(Guid jobId, CancellationToken ct) =>
        UpdateAsync("UPDATE jobs SET terminal_published = 1, publish_lease_until = NULL WHERE job_id = @JobId",
            new { JobId = Key(jobId) }, ct);

    public Task ReleaseTerminalPublishAsync(Guid jobId, CancellationToken ct) =>
        UpdateAsync("UPDATE jobs SET publish_lease_until = NULL WHERE job_id = @JobId AND terminal_published = 0",
            new { JobId = Key(jobId) }, ct);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();

    private static async Task<Job?> FindAsync(NpgsqlConnection connection, Guid jobId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            "SELECT * FROM jobs WHERE job_id = @JobId", new { JobId = Key(jobId) }, cancellationToken: ct));
        return row?.ToJob();
    }

    private async Task<bool> UpdateAsync(string sql, object parameters, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct)) > 0;
    }

    private static Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, object? parameters, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: ct));

    private static string Key(Guid jobId) => jobId.ToString("D");
}
