using Microsoft.Data.Sqlite;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.OutboundWebhooks;

namespace SoraEvents.Service.Tests.OutboundWebhooks;

/// <summary>
/// The delivery outbox on each job store (<see cref="SqliteWebhookDeliveryStoreTests"/>,
/// <see cref="PostgresWebhookDeliveryStoreTests"/>): idempotent on the event, revived only when given up, and every
/// due delivery claimed by exactly one instance.
/// </summary>
public abstract class WebhookDeliveryStoreContract : IAsyncLifetime
{
    private readonly DateTimeOffset now = DateTimeOffset.FromUnixTimeMilliseconds(1_767_965_610_929);
    private readonly List<SqlJobStore> opened = [];
    private SqlJobStore store = null!;

    protected abstract Task<SqlJobStore> CreateStoreAsync();

    protected abstract SqlJobStore CreateAnotherInstance();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        store = await CreateStoreAsync();
        opened.Add(store);
        await store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in opened) (instance as IDisposable)?.Dispose();
        await CleanUpAsync();
    }

    private static WebhookDelivery New(string endpoint = "orders")
    {
        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        return new WebhookDelivery
        {
            DeliveryKey = WebhookDelivery.KeyOf(endpoint, eventId),
            Endpoint = endpoint,
            EventId = eventId,
            JobId = Guid.NewGuid().ToString(),
            EventType = OutboundWebhookEvent.VideoCompleted,
            Body = "{}",
            MessageJson = "{}",
            MessageId = null,
        };
    }

    [Fact]
    public async Task A_delivery_is_started_once_and_revived_only_after_it_was_given_up()
    {
        var delivery = New();
        var started = await store.StartDeliveryAsync(delivery, now, now.AddMinutes(1), CancellationToken.None);
        Assert.NotNull(started);
        Assert.Equal(WebhookDelivery.Pending, started.State);
        Assert.Null(await store.StartDeliveryAsync(delivery, now, now.AddMinutes(1), CancellationToken.None));

        await store.MarkDeadAsync(delivery.DeliveryKey, "answered 503", CancellationToken.None);
        var revived = await store.StartDeliveryAsync(delivery, now.AddDays(1), now.AddDays(1).AddMinutes(1), CancellationToken.None);
        Assert.NotNull(revived);
        Assert.Equal(0, revived.Attempts);
        Assert.Equal(now.AddDays(1).ToUnixTimeMilliseconds(), revived.StartedAt);

        await store.MarkDeliveredAsync(delivery.DeliveryKey, now.AddDays(1), CancellationToken.None);
        Assert.Null(await store.StartDeliveryAsync(delivery, now.AddDays(2), now.AddDays(2).AddMinutes(1), CancellationToken.None));
        Assert.Equal(WebhookDelivery.Delivered, (await store.FindDeliveryAsync(delivery.DeliveryKey, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task A_retry_is_claimed_once_it_is_due_and_only_for_its_endpoint()
    {
        var delivery = New();
        await store.StartDeliveryAsync(delivery, now, now.AddMinutes(1), CancellationToken.None);
        await store.MarkRetryAsync(delivery.DeliveryKey, now.AddSeconds(5), "answered 503", CancellationToken.None);

        Assert.Empty(await store.ClaimDueDeliveriesAsync("orders", now.AddSeconds(4), now.AddMinutes(2), 10, CancellationToken.None));
        Assert.Empty(await store.ClaimDueDeliveriesAsync("billing", now.AddSeconds(5), now.AddMinutes(2), 10, CancellationToken.None));
        var claimed = Assert.Single(await store.ClaimDueDeliveriesAsync("orders", now.AddSeconds(5), now.AddMinutes(2), 10, CancellationToken.None));
        Assert.Equal(1, claimed.Attempts);
        Assert.Equal("answered 503", claimed.LastError);
        // Held by that claim until its lease ends.
        Assert.Empty(await store.ClaimDueDeliveriesAsync("orders", now.AddSeconds(6), now.AddMinutes(2), 10, CancellationToken.None));
    }

    [Fact]
    public async Task Instances_sweeping_together_claim_each_due_delivery_once()
    {
        var deliveries = Enumerable.Range(0, 60).Select(_ => New()).ToList();
        foreach (var d in deliveries)
        {
            await store.StartDeliveryAsync(d, now, now.AddMinutes(1), CancellationToken.None);
            await store.MarkRetryAsync(d.DeliveryKey, now.AddSeconds(5), "down", CancellationToken.None);
        }
        var instances = new[] { store }.Concat(Enumerable.Range(0, 3).Select(_ => { var s = CreateAnotherInstance(); opened.Add(s); return s; })).ToList();

        var claims = await Task.WhenAll(instances.Select(s => Task.Run(async () =>
        {
            var mine = new List<string>();
            for (var i = 0; i < 10; i++)
                mine.AddRange((await s.ClaimDueDeliveriesAsync("orders", now.AddSeconds(10), now.AddMinutes(2), 7, CancellationToken.None)).Select(d => d.DeliveryKey));
            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(deliveries.Select(d => d.DeliveryKey).Order(), all.Order());
    }
}

public sealed class SqliteWebhookDeliveryStoreTests : WebhookDeliveryStoreContract
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "soraevents-store-tests", Guid.NewGuid().ToString("N"));

    private string ConnectionString => $"Data Source={Path.Combine(folder, "jobs.db")}";

    protected override Task<SqlJobStore> CreateStoreAsync() => Task.FromResult<SqlJobStore>(new SqliteJobStore(ConnectionString));

    protected override SqlJobStore CreateAnotherInstance() => new SqliteJobStore(ConnectionString);

    protected override Task CleanUpAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class PostgresWebhookDeliveryStoreTests(PostgresFixture postgres) : WebhookDeliveryStoreContract, IClassFixture<PostgresFixture>
{
    private string connectionString = null!;

    protected override async Task<SqlJobStore> CreateStoreAsync()
    {
        connectionString = await postgres.CreateSchemaAsync();
        return new PostgresJobStore(connectionString);
    }

    protected override SqlJobStore CreateAnotherInstance() => new PostgresJobStore(connectionString);
}
