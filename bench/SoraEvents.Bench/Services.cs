using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SoraEvents.Service.Webhooks;
using SoraEvents.Testing;

namespace SoraEvents.Bench;

/// <summary>The service as a real process (the built SoraEvents.Service.dll), on its own virtual host and SQLite file.</summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    public const string SigningKey = "bench-signing-key-0123456789abcdef0123456789";

    private readonly ChildProcess process;
    private readonly string dataFolder;

    private readonly Uri? amqpUrl;

    private ServiceUnderTest(ChildProcess process, string dataFolder, Uri? amqpUrl)
    {
        this.process = process;
        this.dataFolder = dataFolder;
        this.amqpUrl = amqpUrl;
        Http = ClientFor(process.BaseUrl);
    }

    /// <summary>A client for a process under test: many connections (open-loop senders), kept between runs.</summary>
    internal static HttpClient ClientFor(Uri baseUrl) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };

    public static CallbackTokens Tokens { get; } = new(System.Text.Encoding.UTF8.GetBytes(SigningKey));

    public Uri AmqpUrl => amqpUrl ?? throw new InvalidOperationException("The embedded default runs an in-memory bus: there is no broker to reach.");

    public Uri BaseUrl => process.BaseUrl;

    public int Port => process.Port;

    public int Pid { get; private set; }

    public HttpClient Http { get; }

    public string DatabaseFile => Path.Combine(dataFolder, "jobs.db");

    public string Output => process.Output;

    /// <summary>
    /// Starts the service on <paramref name="amqpUrl"/> with both gateways pointed at <paramref name="simulator"/>
    /// (so the built-in simulator stays off), logging at Warning, plus <paramref name="settings"/>.
    /// </summary>
    public static async Task<ServiceUnderTest> StartAsync(Uri amqpUrl, Uri simulator, string simulatorKey, IReadOnlyDictionary<string, string> settings, string? serviceDll = null)
    {
        var dataFolder = Path.Combine(Path.GetTempPath(), "soraevents-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataFolder);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Bus__Transport"] = "RabbitMq",
            ["RabbitMq__Url"] = amqpUrl.AbsoluteUri,
            ["Store__Provider"] = "Sqlite",
            ["Store__ConnectionString"] = $"Data Source={Path.Combine(dataFolder, "jobs.db")}",
            ["Webhooks__SigningKey"] = SigningKey,
            // The per-caller API limit (600 a minute) would answer 429 to the thousands of jobs e2e, webhooks and scale create.
            ["Api__RequestsPerMinute"] = "1000000",
            ["Providers__Pixazo__BaseUrl"] = simulator.AbsoluteUri,
            ["Providers__Pixazo__ApiKey"] = simulatorKey,
            ["Providers__Apixo__BaseUrl"] = simulator.AbsoluteUri,
            ["Providers__Apixo__ApiKey"] = simulatorKey,
            // Benchmarks measure the service, not its console: warnings and errors only.
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Serilog__MinimumLevel__Override__MassTransit"] = "Warning",
        };
        foreach (var (key, value) in settings) environment[key] = value;
        return await StartWithAsync(environment, dataFolder, amqpUrl, serviceDll);
    }

    /// <summary>
    /// Starts the service as <c>dotnet run</c> from a fresh clone would run it (in-memory bus, SQLite, the built-in
    /// simulator for both gateways, an open API on loopback), with its store in a folder of its own, logging at
    /// Warning, plus <paramref name="settings"/>.
    /// </summary>
    public static Task<ServiceUnderTest> StartEmbeddedDefaultAsync(IReadOnlyDictionary<string, string> settings, string? serviceDll = null)
    {
        var dataFolder = Path.Combine(Path.GetTempPath(), "soraevents-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataFolder);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // The defaults, said outright: the runner's own environment (RabbitMq__Url, keys) is inherited otherwise.
            ["Bus__Transport"] = "InMemory",
            ["Store__Provider"] = "Sqlite",
            ["Providers__Pixazo__ApiKey"] = "",
            ["Providers__Apixo__ApiKey"] = "",
            ["Store__ConnectionString"] = $"Data Source={Path.Combine(dataFolder, "jobs.db")}",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Serilog__MinimumLevel__Override__MassTransit"] = "Warning",
        };
        foreach (var (key, value) in settings) environment[key] = value;
        return StartWithAsync(environment, dataFolder, amqpUrl: null, serviceDll);
    }

    private static async Task<ServiceUnderTest> StartWithAsync(Dictionary<string, string> environment, string dataFolder, Uri? amqpUrl, string? serviceDll)
    {
        // No public URL: the callback URLs name the port the service binds (its own choice, port 0).
        var process = new ChildProcess(serviceDll ?? "SoraEvents.Service.dll", environment);
        try
        {
            await process.StartAsync("/health/live");
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
        // Its address is known only once it has started.
        var service = new ServiceUnderTest(process, dataFolder, amqpUrl);
        try
        {
            await service.WaitReadyAsync();
            service.Pid = process.Pid;
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    private async Task WaitReadyAsync()
    {
        for (var i = 0; i < 300; i++)
        {
            using var response = await Http.GetAsync("/health/ready");
            if (response.StatusCode == HttpStatusCode.OK) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"The service never became ready:\n{Output}");
    }

    /// <summary>The path (with token) a gateway would call back for <paramref name="jobId"/>.</summary>
    public static string CallbackPath(Guid jobId) => $"/webhooks/pixazo/{jobId:D}?token={Tokens.Create("pixazo", jobId)}";

    /// <summary>
    /// Creates <paramref name="count"/> jobs through <c>POST /v1/videos</c> whose gateway task never calls back
    /// (<c>[sim:nocallback]</c>), so they stay in flight until a callback of ours or a status check ends them.
    /// </summary>
    public async Task<List<Guid>> CreateJobsAsync(int count, string provider = "pixazo", int parallel = 32)
    {
        var ids = new Guid[count];
        object request = provider == "apixo"
            ? new { prompt = "[sim:nocallback] bench: a lighthouse at dusk", provider, seconds = 10 }
            : new { prompt = "[sim:nocallback] bench: a lighthouse at dusk", provider, seconds = 4, size = "1280x720" };
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
        {
            using var response = await Http.PostAsJsonAsync("/v1/videos", request, ct);
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"POST /v1/videos answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            ids[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
        });
        return [.. ids];
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await process.DisposeAsync();
        try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// The bare baseline (bench/SoraEvents.Bench.Baseline) as a process on its own virtual host; with a store file, the
/// bare pipeline (its consumer ends each job in that SQLite store and publishes VideoCompleted).
/// </summary>
public sealed class BaselineUnderTest : IAsyncDisposable
{
    public const string Queue = "baseline-callbacks";

    private readonly ChildProcess process;
    private HttpClient? http;

    private BaselineUnderTest(ChildProcess process, Uri amqpUrl)
    {
        this.process = process;
        AmqpUrl = amqpUrl;
    }

    public Uri AmqpUrl { get; }

    public Uri BaseUrl => process.BaseUrl;

    public int Pid { get; private set; }

    /// <summary>A client for open-loop senders; its address is known only once the process has started.</summary>
    public HttpClient Http => http ??= ServiceUnderTest.ClientFor(process.BaseUrl);

    public static async Task<BaselineUnderTest> StartAsync(Uri amqpUrl, string? storeFile = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Baseline__AmqpUrl"] = amqpUrl.AbsoluteUri,
            ["Baseline__Queue"] = Queue,
        };
        if (storeFile is not null) environment["Baseline__StoreFile"] = storeFile;
        var baseline = new BaselineUnderTest(new ChildProcess("SoraEvents.Bench.Baseline.dll", environment), amqpUrl);
        try
        {
            await baseline.process.StartAsync("/health");
            baseline.Pid = baseline.process.Pid;
            return baseline;
        }
        catch
        {
            await baseline.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        http?.Dispose();
        return process.DisposeAsync();
    }
}
