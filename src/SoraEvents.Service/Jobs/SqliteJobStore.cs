using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Jobs;

/// <summary>The embedded job store: one SQLite file, WAL mode, one short connection per operation.</summary>
public sealed class SqliteJobStore(string connectionString) : IJobStore
{
    static SqliteJobStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    private const string Terminal = "('completed','failed')";

    /// <summary>Schema versions in order; <c>PRAGMA user_version</c> records how many have been applied.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE jobs (
            job_id TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            request_json TEXT NOT NULL,
            provider TEXT NULL,
            provider_request_id TEXT NULL,
            attempt INTEGER NOT NULL DEFAULT 1,
            video_urls_json TEXT NULL,
            expires_at INTEGER NULL,
            error_code TEXT NULL,
            error_reason TEXT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            submitted_at INTEGER NULL,
            finished_at INTEGER NULL,
            terminal_message_id TEXT NULL,
            terminal_published INTEGER NOT NULL DEFAULT 0,
            publish_lease_until INTEGER NULL
        );
        CREATE INDEX ix_jobs_status ON jobs (status);
        """,
        """
        ALTER TABLE jobs ADD COLUMN next_try_at INTEGER NULL;
        ALTER TABLE jobs ADD COLUMN avoid_provider TEXT NULL;
        CREATE INDEX ix_jobs_due ON jobs (next_try_at) WHERE status = 'queued' AND next_try_at IS NOT NULL;
        CREATE INDEX ix_jobs_in_flight ON jobs (provider, status);
        CREATE TABLE gateway_calls (provider TEXT NOT NULL, at INTEGER NOT NULL);
        CREATE INDEX ix_gateway_calls ON gateway_calls (provider, at);
        """,
        // Each due-time query reads only the rows that are due: partial indexes hold just the jobs concerned.
        """
        ALTER TABLE jobs ADD COLUMN next_poll_at INTEGER NULL;
        CREATE INDEX ix_jobs_poll ON jobs (provider, next_poll_at) WHERE status = 'submitted';
        CREATE INDEX ix_jobs_open ON jobs (created_at) WHERE status IN ('queued', 'submitting', 'submitted');
        CREATE INDEX ix_jobs_unpublished ON jobs (finished_at) WHERE status IN ('completed', 'failed') AND terminal_published = 0;
        """,
        """
        CREATE INDEX ix_jobs_listing ON jobs (status, created_at);
        CREATE INDEX ix_jobs_created ON jobs (created_at);
        """,
        """
        ALTER TABLE jobs ADD COLUMN archived_location TEXT NULL;
        ALTER TABLE jobs ADD COLUMN archive_attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN archive_next_at INTEGER NULL;
        CREATE INDEX ix_jobs_archive_due ON jobs (archive_next_at) WHERE archive_next_at IS NOT NULL;
        """,
    ];

    public async Task InitializeAsync(CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);

        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: ct));
        // BEGIN IMMEDIATE takes the write lock first, so two instances starting together migrate one after the other.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
        var applied = await connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA user_version;", transaction: transaction, cancellationToken: ct));
        for (var version = (int)applied; version < Migrations.Length; version++)
        {
            await connection.ExecuteAsync(new CommandDefinition(Migrations[version], transaction: transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition($"PRAGMA user_version = {version + 1};", transaction: transaction, cancellationToken: ct));
        }
        await transaction.CommitAsync(ct);
    }

    public async Task<Job> CreateIfAbsentAsync(GenerateVideo request, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
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
        await using var connection = await OpenAsync(ct);
        return await FindAsync(connection, jobId, ct);
    }

    public async Task<IReadOnlyList<Job>> ListAsync(JobStatus? status, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition("""
            SELECT * FROM jobs WHERE (@Status IS NULL OR status = @Status) ORDER BY created_at DESC LIMIT @Limit
            """, new { Status = status?.ToText(), Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToJob()).ToList();
    }

    public async Task<long> CountAsync(JobStatus status, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM jobs WHERE status = @Status", new { Status = status.ToText() }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Job>> ClaimDueArchivesAsync(DateTimeOffset now, DateTimeOffset nextAt, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition("""
            UPDATE jobs SET archive_next_at = @Next, archive_attempts = archive_attempts + 1
            WHERE job_id IN (SELECT job_id FROM jobs WHERE archive_next_at IS NOT NULL AND archive_next_at <= @Now
                             ORDER BY archive_next_at LIMIT @Limit)
            RETURNING *
            """, new { Now = JobRow.ToUnixMs(now), Next = JobRow.ToUnixMs(nextAt), Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToJob()).ToList();
    }

    public Task MarkArchivedAsync(Guid jobId, string? location, CancellationToken ct) =>
        UpdateAsync("UPDATE jobs SET archived_location = COALESCE(@Location, archived_location), archive_next_at = NULL WHERE job_id = @JobId",
            new { JobId = Key(jobId), Location = location }, ct);

    public async Task<ClaimResult> TryClaimSubmissionAsync(Guid jobId, string provider, int? maxConcurrent, DateTimeOffset now, CancellationToken ct)
    {
        // One statement, so the count and the claim happen under the same write lock: no two instances can
        // both see nine tasks in flight and both claim the tenth slot.
        var claimed = await UpdateAsync("""
            UPDATE jobs SET status = 'submitting', provider = @Provider, next_try_at = NULL, updated_at = @Now
            WHERE job_id = @JobId AND status = 'queued'
              AND (@Max IS NULL OR (SELECT COUNT(*) FROM jobs WHERE provider = @Provider AND status IN ('submitting', 'submitted')) < @Max)
            """, new { JobId = Key(jobId), Provider = provider, Max = maxConcurrent, Now = JobRow.ToUnixMs(now) }, ct);
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
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition("""
            SELECT * FROM jobs WHERE status = 'queued' AND next_try_at IS NOT NULL AND next_try_at <= @Now
            ORDER BY next_try_at LIMIT @Limit
            """, new { Now = JobRow.ToUnixMs(now), Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToJob()).ToList();
    }

    public async Task<bool> TryTakeGatewayCallAsync(string provider, int perMinute, DateTimeOffset now, CancellationToken ct)
    {
        var windowStart = JobRow.ToUnixMs(now.AddMinutes(-1));
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM gateway_calls WHERE provider = @Provider AND at <= @WindowStart;
            INSERT INTO gateway_calls (provider, at)
            SELECT @Provider, @Now WHERE (SELECT COUNT(*) FROM gateway_calls WHERE provider = @Provider AND at > @WindowStart) < @PerMinute;
            """, new { Provider = provider, Now = JobRow.ToUnixMs(now), WindowStart = windowStart, PerMinute = perMinute }, cancellationToken: ct));
        // The INSERT … WHERE count < limit is one statement, so instances cannot both take the last call.
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT changes();", cancellationToken: ct)) == 1;
    }

    public Task<bool> MarkSubmittedAsync(Guid jobId, string provider, string providerRequestId, DateTimeOffset now, DateTimeOffset firstPollAt, CancellationToken ct) =>
        UpdateAsync($"""
            UPDATE jobs SET status = CASE WHEN status IN {Terminal} THEN status ELSE 'submitted' END,
                            provider = @Provider, provider_request_id = @RequestId, next_poll_at = @FirstPoll,
                            submitted_at = @Now, updated_at = @Now
            WHERE job_id = @JobId AND (status IN ('submitting', 'queued') OR (status IN {Terminal} AND provider_request_id IS NULL))
            """, new { JobId = Key(jobId), Provider = provider, RequestId = providerRequestId, Now = JobRow.ToUnixMs(now), FirstPoll = JobRow.ToUnixMs(firstPollAt) }, ct);

    public async Task<IReadOnlyList<Job>> ClaimDuePollsAsync(string provider, DateTimeOffset now, DateTimeOffset nextPollAt, int limit, CancellationToken ct)
    {
        // Moving next_poll_at in the same statement that selects the rows is the claim: another instance's
        // identical query no longer sees them as due.
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition("""
            UPDATE jobs SET next_poll_at = @Next
            WHERE job_id IN (SELECT job_id FROM jobs WHERE provider = @Provider AND status = 'submitted' AND next_poll_at <= @Now
                             ORDER BY next_poll_at LIMIT @Limit)
            RETURNING *
            """, new { Provider = provider, Now = JobRow.ToUnixMs(now), Next = JobRow.ToUnixMs(nextPollAt), Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToJob()).ToList();
    }

    public async Task<IReadOnlyList<Job>> FindOpenCreatedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition("""
            SELECT * FROM jobs WHERE status IN ('queued', 'submitting', 'submitted') AND created_at <= @Cutoff
            ORDER BY created_at LIMIT @Limit
            """, new { Cutoff = JobRow.ToUnixMs(cutoff), Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToJob()).ToList();
    }

    public async Task<IReadOnlyList<Guid>> FindUnpublishedEndedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var ids = await connection.QueryAsync<string>(new CommandDefinition($"""
            SELECT job_id FROM jobs WHERE status IN {Terminal} AND terminal_published = 0 AND finished_at <= @Cutoff
            ORDER BY finished_at LIMIT @Limit
            """, new { Cutoff = JobRow.ToUnixMs(cutoff), Limit = limit }, cancellationToken: ct));
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
                            provider = COALESCE(@Provider, provider),
                            provider_request_id = COALESCE(@RequestId, provider_request_id),
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

    private static async Task<Job?> FindAsync(SqliteConnection connection, Guid jobId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            "SELECT * FROM jobs WHERE job_id = @JobId", new { JobId = Key(jobId) }, cancellationToken: ct));
        return row?.ToJob();
    }

    private async Task<bool> UpdateAsync(string sql, object parameters, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct)) > 0;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        // Several consumers write at once; waiting briefly for the write lock beats failing with SQLITE_BUSY.
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA busy_timeout = 5000;", cancellationToken: ct));
        return connection;
    }

    private static string Key(Guid jobId) => jobId.ToString("D");
}
