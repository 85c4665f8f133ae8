using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace SoraEvents.Service.Jobs;

/// <summary>
/// The embedded job store: one SQLite file, WAL mode, one short connection per operation. SQLite has a single
/// writer, so every statement below is atomic against every other instance of this store on the same file.
/// </summary>
public sealed class SqliteJobStore(string connectionString) : SqlJobStore
{
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
        // The request ledger becomes a fixed set of slots (see TryTakeGatewayCallAsync); status queries get a lease.
        """
        CREATE TABLE gateway_slots (provider TEXT NOT NULL, slot INTEGER NOT NULL, free_at INTEGER NOT NULL, PRIMARY KEY (provider, slot));
        DROP TABLE gateway_calls;
        ALTER TABLE jobs ADD COLUMN status_query_until INTEGER NULL;
        """,
        // Listing shows a job's metadata, never its request: kept apart, so a list reads no request body.
        """
        ALTER TABLE jobs ADD COLUMN metadata_json TEXT NULL;
        UPDATE jobs SET metadata_json = request_json -> '$.metadata';
        """,
        // Outbound webhooks (OutboundWebhooks/): one row per event and endpoint, the outbox that retries wait in.
        """
        CREATE TABLE webhook_deliveries (
            delivery_key TEXT PRIMARY KEY,
            endpoint TEXT NOT NULL,
            event_id TEXT NOT NULL,
            job_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            body TEXT NOT NULL,
            message_json TEXT NOT NULL,
            message_id TEXT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            next_at INTEGER NULL,
            last_error TEXT NULL,
            delivered_at INTEGER NULL
        );
        CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (endpoint, next_at) WHERE state = 'pending';
        """,
        // The HTTP API: whose job it is, jobs removed from the API, pages read by (created_at, job_id), and what a
        // listed video shows of its request (never its image, which may be megabytes).
        """
        ALTER TABLE jobs ADD COLUMN caller TEXT NULL;
        ALTER TABLE jobs ADD COLUMN deleted_at INTEGER NULL;
        ALTER TABLE jobs ADD COLUMN prompt TEXT NULL;
        ALTER TABLE jobs ADD COLUMN size TEXT NULL;
        ALTER TABLE jobs ADD COLUMN seconds INTEGER NULL;
        ALTER TABLE jobs ADD COLUMN model TEXT NULL;
        UPDATE jobs SET prompt = request_json ->> '$.prompt', size = request_json ->> '$.size',
                        seconds = request_json ->> '$.seconds', model = request_json ->> '$.model';
        CREATE INDEX ix_jobs_page ON jobs (created_at, job_id);
        """,
        // What a job went through at its gateways (issue 13): each stint, the calls, the last failure, a wait for replay.
        """
        ALTER TABLE jobs ADD COLUMN gateway_calls INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN last_gateway_failure TEXT NULL;
        ALTER TABLE jobs ADD COLUMN next_attempt_at INTEGER NULL;
        ALTER TABLE jobs ADD COLUMN awaiting_replay INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE job_attempts (
            job_id TEXT NOT NULL, seq INTEGER NOT NULL, provider TEXT NOT NULL,
            started_at INTEGER NOT NULL, ended_at INTEGER NULL, left_because TEXT NULL,
            PRIMARY KEY (job_id, seq));
        """,
        // A free request slot is the one freed longest ago: found through this index, a high limit (one row per
        // request a minute) costs a lookup per call instead of a scan of every slot.
        """
        CREATE INDEX ix_gateway_slots_free ON gateway_slots (provider, free_at);
        """,
    ];

    public override async Task InitializeAsync(CancellationToken ct)
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

    public override async Task<ClaimResult> TryClaimSubmissionAsync(Guid jobId, string provider, int? maxConcurrent, DateTimeOffset now, CancellationToken ct)
    {
        // One statement, so the count and the claim happen under the same write lock: no two instances can
        // both see nine tasks in flight and both claim the tenth slot.
        var claimed = await UpdateAsync(ClaimSql,
            new { JobId = Key(jobId), Provider = provider, Max = maxConcurrent, Now = JobRow.ToUnixMs(now) }, ct);
        return await ClaimOutcomeAsync(claimed, jobId, ct);
    }

    public override async Task<GatewayCallSlot?> TryTakeGatewayCallAsync(string provider, int perMinute, DateTimeOffset now, DateTimeOffset heldUntil, CancellationToken ct)
    {
        await EnsureGatewaySlotsAsync(provider, perMinute, ct);
        await using var connection = await OpenAsync(ct);
        // One statement under SQLite's single write lock: two instances cannot both take the last free slot.
        var slot = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition("""
            UPDATE gateway_slots SET free_at = @HeldUntil
            WHERE provider = @Provider AND slot = (
                SELECT slot FROM gateway_slots WHERE provider = @Provider AND slot < @PerMinute AND free_at <= @Now
                ORDER BY free_at LIMIT 1)
            RETURNING slot
            """, new { Provider = provider, PerMinute = perMinute, Now = JobRow.ToUnixMs(now), HeldUntil = JobRow.ToUnixMs(heldUntil) }, cancellationToken: ct));
        return slot is { } taken ? new GatewayCallSlot(provider, taken, DateTimeOffset.FromUnixTimeMilliseconds(JobRow.ToUnixMs(heldUntil))) : null;
    }

    public override Task<IReadOnlyList<Job>> ClaimDuePollsAsync(string provider, DateTimeOffset now, DateTimeOffset nextPollAt, int limit, CancellationToken ct) =>
        // Moving next_poll_at in the same statement that selects the rows is the claim: another instance's
        // identical query no longer sees them as due.
        QueryJobsAsync("""
            UPDATE jobs SET next_poll_at = @Next
            WHERE job_id IN (SELECT job_id FROM jobs WHERE provider = @Provider AND status = 'submitted' AND next_poll_at <= @Now
                               AND (status_query_until IS NULL OR status_query_until <= @Now)
                             ORDER BY next_poll_at LIMIT @Limit)
            RETURNING *
            """, new { Provider = provider, Now = JobRow.ToUnixMs(now), Next = JobRow.ToUnixMs(nextPollAt), Limit = limit }, ct);

    public override Task<IReadOnlyList<Job>> ClaimDueArchivesAsync(DateTimeOffset now, DateTimeOffset nextAt, int limit, CancellationToken ct) =>
        QueryJobsAsync("""
            UPDATE jobs SET archive_next_at = @Next, archive_attempts = archive_attempts + 1
            WHERE job_id IN (SELECT job_id FROM jobs WHERE archive_next_at IS NOT NULL AND archive_next_at <= @Now
                             ORDER BY archive_next_at LIMIT @Limit)
            RETURNING *
            """, new { Now = JobRow.ToUnixMs(now), Next = JobRow.ToUnixMs(nextAt), Limit = limit }, ct);

    protected override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        // Several consumers write at once; waiting briefly for the write lock beats failing with SQLITE_BUSY.
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA busy_timeout = 5000;", cancellationToken: ct));
        return connection;
    }
}
