using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Tests.Jobs;

/// <summary>
/// The store contract on a real PostgreSQL server (infra/postgres.sh): a database per class, an empty schema per
/// test. Then what only PostgreSQL has to prove, since it lets writers run side by side: migrations and the
/// per-gateway limits under real concurrency, and due-work queries that read through their partial indexes.
/// </summary>
public sealed class PostgresJobStoreTests(PostgresFixture postgres) : JobStoreContract, IClassFixture<PostgresFixture>
{
    private string connectionString = null!;

    protected override async Task<IJobStore> CreateStoreAsync()
    {
        connectionString = await postgres.CreateSchemaAsync();
        return new PostgresJobStore(connectionString);
    }

    protected override IJobStore CreateAnotherInstance() => new PostgresJobStore(connectionString);

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(sql);
    }

    [Fact]
    public async Task Instances_starting_together_migrate_the_schema_once()
    {
        var fresh = await postgres.CreateSchemaAsync();
        var stores = Enumerable.Range(0, 5).Select(_ => new PostgresJobStore(fresh)).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync(CancellationToken.None))));

            await using var connection = new NpgsqlConnection(fresh);
            var versions = (await connection.QueryAsync<int>("SELECT version FROM schema_version ORDER BY version")).ToList();
            Assert.Equal(Enumerable.Range(1, versions.Count), versions);
            Assert.NotEmpty(versions);

            var job = await stores[0].CreateIfAbsentAsync(Command(), now, CancellationToken.None);
            Assert.NotNull(await stores[4].FindAsync(job.JobId, CancellationToken.None));
        }
        finally
        {
            foreach (var s in stores) await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task Claims_racing_with_endings_on_many_connections_never_exceed_the_limit()
    {
        const int limit = 10;
        var instances = Instances(8);
        var jobs = new List<Guid>();
        for (var i = 0; i < 200; i++) jobs.Add((await store.CreateIfAbsentAsync(Command(), now, CancellationToken.None)).JobId);
        var queue = new ConcurrentQueue<Guid>(jobs);
        var ended = 0;
        var maxSeen = 0;
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        const string InFlight = "SELECT COUNT(*) FROM jobs WHERE provider = 'apixo' AND status IN ('submitting', 'submitted')";
        void Observe(int inFlight)
        {
            for (var seen = Volatile.Read(ref maxSeen); inFlight > seen; seen = Volatile.Read(ref maxSeen))
                if (Interlocked.CompareExchange(ref maxSeen, inFlight, seen) == seen) break;
        }

        // Eight instances, three workers each, take jobs, hold each slot briefly and end the task, while another
        // connection keeps counting the tasks in flight: the committed count must never pass the limit.
        var workers = Enumerable.Range(0, 24).Select(w => Task.Run(async () =>
        {
            var instance = instances[w % instances.Length];
            var random = new Random(w);
            while (!done.IsCancellationRequested && queue.TryDequeue(out var jobId))
            {
                var result = await instance.TryClaimSubmissionAsync(jobId, "apixo", limit, now, CancellationToken.None);
                if (result != ClaimResult.Claimed)
                {
                    Assert.Equal(ClaimResult.AtLimit, result);
                    queue.Enqueue(jobId);
                    await Task.Yield();
                    continue;
                }
                // Right after its claim the instance counts too (its own claim included).
                await using (var connection = new NpgsqlConnection(connectionString))
                    Observe(await connection.ExecuteScalarAsync<int>(InFlight));
                await Task.Delay(random.Next(2, 10));
                Assert.True(await instance.TryFinishAsync(jobId, JobEnding.Completed("apixo", "t", ["https://v/1.mp4"], null), Guid.NewGuid(), now, CancellationToken.None));
                Interlocked.Increment(ref ended);
            }
        })).ToList();
        var sampler = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            while (Volatile.Read(ref ended) < jobs.Count && !done.IsCancellationRequested)
            {
                Observe(await connection.ExecuteScalarAsync<int>(InFlight));
            }
        });
        await Task.WhenAll(workers);
        await done.CancelAsync();
        await sampler;

        Assert.Equal(jobs.Count, ended);
        Assert.InRange(maxSeen, 1, limit);
    }

    [Fact]
    public async Task Gateway_calls_over_many_connections_stay_within_the_budget_in_every_minute()
    {
        var instances = Instances(8);
        var taken = new ConcurrentBag<DateTimeOffset>();
        // Three minutes of virtual time in half-second steps; at each step all eight instances try twice at once.
        for (var step = 0; step < 360; step++)
        {
            var at = now.AddMilliseconds(step * 500);
            await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            {
                if (await instances[i % 8].TryTakeGatewayCallAsync("apixo", 30, at, at.AddMinutes(1), CancellationToken.None) is not null) taken.Add(at);
            })));
        }

        // No one-minute window holds more than the budget, and the budget is used: 30 in each of the three minutes.
        var sorted = taken.Order().ToList();
        foreach (var t in sorted)
            Assert.True(sorted.Count(c => c > t.AddMinutes(-1) && c <= t) <= 30, $"more than 30 calls in the minute before {t:O}");
        Assert.Equal(90, sorted.Count);
    }

    [Fact]
    public async Task Due_work_queries_read_through_their_partial_indexes()
    {
        // A realistic table: thousands of finished jobs, a handful of due ones.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var at = now.ToUnixTimeMilliseconds();
        await connection.ExecuteAsync("""
            INSERT INTO jobs (job_id, status, request_json, provider, created_at, updated_at, finished_at, terminal_published)
            SELECT gen_random_uuid()::text, 'completed', '{}', 'pixazo', @At - i * 1000, @At, @At - i * 500, 1 FROM generate_series(1, 5000) i;
            INSERT INTO jobs (job_id, status, request_json, created_at, updated_at, next_try_at)
            SELECT gen_random_uuid()::text, 'queued', '{}', @At - i, @At, @At + i * 1000 FROM generate_series(1, 20) i;
            INSERT INTO jobs (job_id, status, request_json, provider, provider_request_id, created_at, updated_at, next_poll_at)
            SELECT gen_random_uuid()::text, 'submitted', '{}', CASE WHEN i % 2 = 0 THEN 'apixo' ELSE 'pixazo' END, 'r' || i, @At - i, @At, @At + i * 1000
            FROM generate_series(1, 20) i;
            INSERT INTO jobs (job_id, status, request_json, provider, created_at, updated_at, finished_at, terminal_published)
            SELECT gen_random_uuid()::text, 'failed', '{}', 'apixo', @At - i, @At, @At - i, 0 FROM generate_series(1, 5) i;
            ANALYZE jobs;
            """, new { At = at });

        async Task<string> PlanAsync(string sql, object parameters) =>
            string.Join('\n', await connection.QueryAsync<string>("EXPLAIN " + sql, parameters));

        var plans = new Dictionary<string, string>
        {
            ["ix_jobs_due"] = await PlanAsync(PostgresJobStore.FindDueSql, new { Now = at + 5_000, Limit = 100 }),
            ["ix_jobs_poll"] = await PlanAsync(PostgresJobStore.ClaimDuePollsSql, new { Provider = "apixo", Now = at + 5_000, Next = at + 60_000, Limit = 100 }),
            ["ix_jobs_open"] = await PlanAsync(PostgresJobStore.FindOpenCreatedBeforeSql, new { Cutoff = at, Limit = 100 }),
            ["ix_jobs_unpublished"] = await PlanAsync(PostgresJobStore.FindUnpublishedEndedBeforeSql, new { Cutoff = at, Limit = 100 }),
            ["ix_jobs_in_flight"] = await PlanAsync(PostgresJobStore.ClaimSql, new { JobId = "x", Provider = "apixo", Max = 10, Now = at }),
        };
        foreach (var (index, plan) in plans)
        {
            Assert.True(plan.Contains(index, StringComparison.Ordinal), $"expected {index} in the plan:\n{plan}");
            Assert.False(plan.Contains("Seq Scan", StringComparison.Ordinal), $"unexpected sequential scan:\n{plan}");
        }
    }
}
