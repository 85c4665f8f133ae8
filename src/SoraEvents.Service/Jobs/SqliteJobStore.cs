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

    public async Task InitializeAsync(CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);

        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS jobs (
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
            CREATE INDEX IF NOT EXISTS ix_jobs_status ON jobs (status);
            """, cancellationToken: ct));
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

    public Task<bool> TryClaimSubmissionAsync(Guid jobId, string provider, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync("""
            UPDATE jobs SET status = 'submitting', provider = @Provider, updated_at = @Now
            WHERE job_id = @JobId AND status = 'queued'
            """, new { JobId = Key(jobId), Provider = provider, Now = JobRow.ToUnixMs(now) }, ct);

    public Task ReleaseSubmissionAsync(Guid jobId, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync("""
            UPDATE jobs SET status = 'queued', updated_at = @Now
            WHERE job_id = @JobId AND status = 'submitting'
            """, new { JobId = Key(jobId), Now = JobRow.ToUnixMs(now) }, ct);

    public Task<bool> MarkSubmittedAsync(Guid jobId, string provider, string providerRequestId, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync($"""
            UPDATE jobs SET status = CASE WHEN status IN {Terminal} THEN status ELSE 'submitted' END,
                            provider = @Provider, provider_request_id = @RequestId,
                            submitted_at = @Now, updated_at = @Now
            WHERE job_id = @JobId AND (status IN ('submitting', 'queued') OR (status IN {Terminal} AND provider_request_id IS NULL))
            """, new { JobId = Key(jobId), Provider = provider, RequestId = providerRequestId, Now = JobRow.ToUnixMs(now) }, ct);

    public Task<bool> TryRequeueAsync(Guid jobId, string providerRequestId, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync("""
            UPDATE jobs SET status = 'queued', attempt = attempt + 1, provider_request_id = NULL, updated_at = @Now
            WHERE job_id = @JobId AND status = 'submitted' AND provider_request_id = @RequestId
            """, new { JobId = Key(jobId), RequestId = providerRequestId, Now = JobRow.ToUnixMs(now) }, ct);

    public Task<bool> TryFinishAsync(Guid jobId, JobEnding ending, Guid terminalMessageId, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync($"""
            UPDATE jobs SET status = @Status,
                            provider = COALESCE(@Provider, provider),
                            provider_request_id = COALESCE(@RequestId, provider_request_id),
                            video_urls_json = @Urls, expires_at = @ExpiresAt,
                            error_code = @ErrorCode, error_reason = @ErrorReason,
                            terminal_message_id = @MessageId,
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
