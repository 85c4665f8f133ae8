using System.Net;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Providers;
using SoraEvents.Simulator;
using SoraEvents.Simulator.State;

namespace SoraEvents.Service.Tests.Providers;

/// <summary>
/// The store-backed request ledger against the simulator's strict APIXO limit (60 requests in any 60 s, 429 beyond),
/// over real HTTP, with one <see cref="FakeTimeProvider"/> driving the service and the simulator alike, so a minute
/// passes without waiting one.
/// </summary>
public sealed class GatewayTransportTests : IAsyncLifetime
{
    private const string Key = "apixo-test-key";
    private const string StatusPath = "api/v1/statusTask/sora-2-pro?taskId=task_unknown";

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 9, 12, 0, 0, TimeSpan.Zero));
    private readonly string folder = Path.Combine(Path.GetTempPath(), "soraevents-transport-tests", Guid.NewGuid().ToString("N"));
    private readonly HeldNetwork network = new();
    private RunningSimulator simulator = null!;
    private HttpClient http = null!;
    private GatewayTransport transport = null!;

    public async Task InitializeAsync()
    {
        simulator = await ProviderSimulator.StartAsync(new SimulatorOptions { ApixoApiKey = Key, ApixoRequestsPerMinute = 60 },
            ProviderSimulator.DefaultInProcessUrl, clock, CancellationToken.None);
        var store = new SqliteJobStore($"Data Source={Path.Combine(folder, "jobs.db")}");
        await store.InitializeAsync(CancellationToken.None);
        network.InnerHandler = new SocketsHttpHandler();
        http = new HttpClient(network) { BaseAddress = simulator.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        transport = new GatewayTransport(store, clock, NullLogger<GatewayTransport>.Instance);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await simulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private Task<HttpStatusCode> CallAsync() => Task.Run(async () =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, StatusPath);
        using var response = await transport.SendAsync(http, "apixo", new GatewayLimits(60, null), request, CancellationToken.None);
        return response.StatusCode;
    });

    [Fact]
    public async Task Burst_that_reached_the_gateway_late_gets_no_429_when_the_next_minute_begins()
    {
        // A burst of 60 takes every slot at once, but the network holds the requests for a second before they
        // arrive, as a burst's requests queue for connections: the gateway counts them a second later than we took them.
        var start = clock.GetUtcNow();
        network.Hold();
        var burst = Enumerable.Range(0, 60).Select(_ => CallAsync()).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(network.Held == 60), TimeSpan.FromSeconds(30), "the burst's 60 requests on the wire");
        clock.Advance(TimeSpan.FromSeconds(1));
        network.Release();
        Assert.All(await Task.WhenAll(burst), status => Assert.Equal(HttpStatusCode.OK, status));

        // Half a second past a minute from the take, but not from the arrival: calls now must wait, not be refused.
        clock.SetUtcNow(start + TimeSpan.FromSeconds(60.5));
        var next = Enumerable.Range(0, 5).Select(_ => CallAsync()).ToList();
        var pending = Task.WhenAll(next);
        for (var step = 0; step < 400 && !pending.IsCompleted; step++)
        {
            await Task.WhenAny(pending, Task.Delay(TimeSpan.FromMilliseconds(20)));
            if (!pending.IsCompleted) clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.All(await pending, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(0, simulator.State.TooManyRequestsFor(ProviderNames.Apixo));
        // They went out only once the burst's arrivals had left the gateway's window.
        Assert.True(clock.GetUtcNow() >= start + TimeSpan.FromSeconds(61), $"sent at {clock.GetUtcNow() - start} after the burst began");
    }

    /// <summary>The network between us and the gateway, which can hold requests on their way.</summary>
    private sealed class HeldNetwork : DelegatingHandler
    {
        private TaskCompletionSource open = CompletedGate();
        private int held;

        public int Held => Volatile.Read(ref held);

        public void Hold() => open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => open.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var gate = open;
            if (!gate.Task.IsCompleted) Interlocked.Increment(ref held);
            await gate.Task.WaitAsync(ct);
            return await base.SendAsync(request, ct);
        }

        private static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }
    }
}
