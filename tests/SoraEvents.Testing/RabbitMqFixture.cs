using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace SoraEvents.Testing;

/// <summary>
/// The real RabbitMQ broker the test run shares: the private node infra/test.sh starts (<c>RabbitMq__Url</c>,
/// <c>RabbitMq__ManagementUrl</c>), or one a developer points those at. Each test gets a virtual host of its own, so
/// queues left behind by one test never feed another. A missing broker fails the tests; it never skips them.
/// </summary>
public class RabbitMqFixture : IAsyncLifetime
{
    private readonly List<string> virtualHosts = [];
    private HttpClient? management;

    /// <summary>The shared broker's URL without a virtual host, e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c>.</summary>
    public static Uri AmqpBase { get; } = new(Environment.GetEnvironmentVariable("RabbitMq__Url") ?? "amqp://guest:guest@127.0.0.1:5672/");

    private static Uri SharedManagementUrl { get; } = new(Environment.GetEnvironmentVariable("RabbitMq__ManagementUrl") ?? "http://127.0.0.1:15672/");

    /// <summary>This fixture's broker, without a virtual host.</summary>
    public Uri Amqp { get; private set; } = AmqpBase;

    private HttpClient Management => management ?? throw new InvalidOperationException("The broker fixture is not initialised yet.");

    /// <summary>Where the broker is; a fixture with a node of its own starts it here.</summary>
    protected virtual Task<(Uri Amqp, Uri Management)> LocateAsync() => Task.FromResult((AmqpBase, SharedManagementUrl));

    public virtual async Task InitializeAsync()
    {
        var (amqp, url) = await LocateAsync();
        Amqp = amqp;
        // The management API answers in milliseconds on a quiet machine, but took over 10 s to create a virtual host at a
        // load average of 40: a slow answer is not a broken broker.
        management = new HttpClient { BaseAddress = url, Timeout = ServiceClock.Patience };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.ASCII.GetBytes(Uri.UnescapeDataString(amqp.UserInfo))));
        try
        {
            (await management.GetAsync("api/overview")).EnsureSuccessStatusCode();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"RabbitMQ's management API is not reachable at {management.BaseAddress} ({ex.Message}). " +
                "Start a broker with `eval \"$(infra/rabbitmq.sh)\"` (infra/test.sh starts one for you).", ex);
        }
    }

    public virtual async Task DisposeAsync()
    {
        if (management is null) return;
        foreach (var vhost in virtualHosts)
        {
            try { await management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}"); }
            catch (HttpRequestException) { /* the broker is gone already; its virtual hosts went with it */ }
        }
        management.Dispose();
    }

    /// <summary>A fresh, empty virtual host; returns the AMQP URL that points into it.</summary>
    public async Task<Uri> CreateVirtualHostAsync()
    {
        var vhost = $"soraevents-test-{Guid.NewGuid():N}";
        (await Management.PutAsJsonAsync($"api/vhosts/{vhost}", new { })).EnsureSuccessStatusCode();
        var user = Amqp.UserInfo.Split(':')[0];
        (await Management.PutAsJsonAsync($"api/permissions/{vhost}/{user}", new { configure = ".*", write = ".*", read = ".*" }))
            .EnsureSuccessStatusCode();
        lock (virtualHosts) virtualHosts.Add(vhost);
        return new Uri(Amqp, vhost);
    }

    /// <summary>GET on the broker's management API, e.g. <c>api/nodes</c>.</summary>
    public Task<System.Text.Json.JsonElement> ManagementGetAsync(string path) =>
        Management.GetFromJsonAsync<System.Text.Json.JsonElement>(path);

    /// <summary>What the management API says about a queue (type, durability, arguments, counts).</summary>
    public async Task<System.Text.Json.JsonElement> QueueInfoAsync(Uri amqpUrl, string queue)
    {
        var vhost = Uri.EscapeDataString(amqpUrl.AbsolutePath.Trim('/'));
        return await Management.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/queues/{vhost}/{Uri.EscapeDataString(queue)}");
    }

    public static Task<IConnection> ConnectAsync(Uri amqpUrl) =>
        new ConnectionFactory { Uri = amqpUrl, AutomaticRecoveryEnabled = true, NetworkRecoveryInterval = TimeSpan.FromSeconds(1) }.CreateConnectionAsync();

    /// <summary>Messages waiting in <paramref name="queue"/>; zero when the queue does not exist.</summary>
    public static async Task<uint> MessageCountAsync(Uri amqpUrl, string queue)
    {
        await using var connection = await ConnectAsync(amqpUrl);
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0;
        }
    }
}
