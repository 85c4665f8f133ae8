using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;

namespace SoraEvents.Service.Jobs;

/// <summary>
/// The job store for several instances on one PostgreSQL database. Same portable columns as SQLite (text,
/// bigint Unix milliseconds), so <see cref="JobRow"/> maps both. SQLite gets its safety from its single writer;
/// here every state change is still one conditional <c>UPDATE</c> (row locks settle races on one job), and the
/// check that counts rows across jobs — the per-gateway concurrency limit — runs under a per-gateway
/// transaction-scoped advisory lock, so two instances can never both take the last slot. Due work and the request
/// ledger's slots are claimed with <c>FOR UPDATE SKIP LOCKED</c>, so instances never claim the same row.
/// </summary>
public sealed class PostgresJobStore : SqlJobStore, IAsyncDisposable, IDisposable
{
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
        // The request ledger becomes a fixed set of slots (see TryTakeGatewayCallAsync); status queries get a lease.
        """
        CREATE TABLE gateway_slots (provider text NOT NULL, slot integer NOT NULL, free_at bigint NOT NULL, PRIMARY KEY (provider, slot));
        DROP TABLE gateway_calls;
        ALTER TABLE jobs ADD COLUMN status_query_until bigint NULL;
        """,
        // Listing shows a job's metadata, never its request: kept apart, so a list reads no request body.
        """
        ALTER TABLE jobs ADD COLUMN metadata_json text NULL;
        UPDATE jobs SET metadata_json = (request_json::json -> 'metadata')::text;
        """,
        // Outbound webhooks (OutboundWebhooks/): one row per event and endpoint, the outbox that retries wait in.
        """
        CREATE TABLE webhook_deliveries (
            delivery_key text PRIMARY KEY,
            endpoint text NOT NULL,
            event_id text NOT NULL,
            job_id text NOT NULL,
            event_type text NOT NULL,
            body text NOT NULL,
            message_json text NOT NULL,
            message_id text NULL,
            attempts bigint NOT NULL DEFAULT 0,
            state text NOT NULL,
            started_at bigint NOT NULL,
            next_at bigint NULL,
            last_error text NULL,
            delivered_at bigint NULL
        );
        CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (endpoint, next_at) WHERE state = 'pending';
        """,
        // The HTTP API: whose job it is, jobs removed from the API, pages read by (created_at, job_id), and what a
        // listed video shows of its request (never its image, which may be megabytes).
        """
        ALTER TABLE jobs ADD COLUMN caller text NULL;
        ALTER TABLE jobs ADD COLUMN deleted_at bigint NULL;
        ALTER TABLE jobs ADD COLUMN prompt text NULL;
        ALTER TABLE jobs ADD COLUMN size text NULL;
        ALTER TABLE jobs ADD COLUMN seconds bigint NULL;
        ALTER TABLE jobs ADD COLUMN model text NULL;
        UPDATE jobs SET prompt = request_json::json ->> 'prompt', size = request_json::json ->> 'size',
                        seconds = (request_json::json ->> 'seconds')::bigint, model = request_json::json ->> 'model';
        CREATE INDEX ix_jobs_page ON jobs (created_at, job_id);
        """,
        // What a job went through at its gateways (issue 13): each stint, the calls, the last failure, a wait for replay.
        """
        ALTER TABLE jobs ADD COLUMN gateway_calls bigint NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN last_gateway_failure text NULL;
        ALTER TABLE jobs ADD COLUMN next_attempt_at bigint NULL;
        ALTER TABLE jobs ADD COLUMN awaiting_replay bigint NOT NULL DEFAULT 0;
        CREATE TABLE job_attempts (
            job_id text NOT NULL, seq integer NOT NULL, provider text NOT NULL,
            started_at bigint NOT NULL, ended_at bigint NULL, left_because text NULL,
            PRIMARY KEY (job_id, seq));
        """,
        // A free request slot is the one freed longest ago: found through this index, a high limit (one row per
        // request a minute) costs a lookup per call instead of a scan of every slot.
        """
        CREATE INDEX ix_gateway_slots_free ON gateway_slots (provider, free_at);
        """,
    ];

    internal const string ClaimDuePollsSql = """
        WITH due AS (
            SELECT job_id FROM jobs
            WHERE provider = @Provider AND status = 'submitted' AND next_poll_at <= @Now
              AND (status_query_until IS NULL OR status_query_until <= @Now)
            ORDER BY next_poll_at LIMIT @Limit
            FOR UPDATE SKIP LOCKED)
        UPDATE jobs SET next_poll_at = @Next
        FROM due WHERE jobs.job_id = due.job_id
        RETURNING jobs.*
        """;

    internal const string TakeGatewayCallSql = """
        WITH free AS (
            SELECT provider, slot FROM gateway_slots
            WHERE provider = @Provider AND slot < @PerMinute AND free_at <= @Now
            ORDER BY free_at LIMIT 1
            FOR UPDATE SKIP LOCKED)
        UPDATE gateway_slots SET free_at = @HeldUntil
        FROM free WHERE gateway_slots.provider = free.provider AND gateway_slots.slot = free.slot
        RETURNING gateway_slots.slot
        """;

    private readonly NpgsqlDataSource dataSource;

    /// <param name="connectionString">An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>).</param>
    public PostgresJobStore(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "SoraEvents";
        dataSource = NpgsqlDataSource.Create(builder);
    }

    public override async Task InitializeAsync(CancellationToken ct)
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

    public override async Task<ClaimResult> TryClaimSubmissionAsync(Guid jobId, string provider, int? maxConcurrent, DateTimeOffset now, CancellationToken ct)
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
        return await ClaimOutcomeAsync(claimed, jobId, ct);
    }

    public override async Task<GatewayCallSlot?> TryTakeGatewayCallAsync(string provider, int perMinute, DateTimeOffset now, DateTimeOffset heldUntil, CancellationToken ct)
    {
        await EnsureGatewaySlotsAsync(provider, perMinute, ct);
        // One autocommit statement and no lock to queue on: callers racing for slots skip the rows another is taking
        // (their free_at is rechecked once the row is locked), so no slot is taken twice and no connection waits.
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var slot = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(TakeGatewayCallSql,
            new { Provider = provider, PerMinute = perMinute, Now = JobRow.ToUnixMs(now), HeldUntil = JobRow.ToUnixMs(heldUntil) }, cancellationToken: ct));
        return slot is { } taken ? new GatewayCallSlot(provider, taken, DateTimeOffset.FromUnixTimeMilliseconds(JobRow.ToUnixMs(heldUntil))) : null;
    }

    public override async Task<IReadOnlyList<Job>> ClaimDuePollsAsync(string provider, DateTimeOffset now, DateTimeOffset nextPollAt, int limit, CancellationToken ct)
    {
        // The CTE locks the due rows, skipping those another instance is claiming right now; moving next_poll_at
        // in the same statement is the claim, so the next sweep (here or elsewhere) no longer sees them as due.
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(ClaimDuePollsSql,
            new { Provider = provider, Now = JobRow.ToUnixMs(now), Next = JobRow.ToUnixMs(nextPollAt), Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToJob()).ToList();
    }

    public override async Task<IReadOnlyList<Job>> ClaimDueArchivesAsync(DateTimeOffset now, DateTimeOffset nextAt, int limit, CancellationToken ct)
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

    protected override async Task<DbConnection> OpenAsync(CancellationToken ct) => await dataSource.OpenConnectionAsync(ct);

    protected override string Text(string parameter) => parameter + "::text";

    protected override string InList(string parameter) => $"= ANY({parameter})";

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();

    private static Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, object? parameters, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: ct));
}
