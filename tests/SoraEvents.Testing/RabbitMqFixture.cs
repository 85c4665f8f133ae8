using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace SoraEvents.Testing;

/// <summary>
/// The real RabbitMQ broker that infra/rabbitmq.sh starts. Each test gets a virtual host of its own, so queues
/// left behind by one test never feed another. A missing broker fails the tests; it never skips them.
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    private readonly List<string> virtualHosts = [];
    private readonly HttpClient management;

    public RabbitMqFixture()
    {
        var url = new Uri(Environment.GetEnvironmentVariable("RabbitMq__ManagementUrl") ?? "http://127.0.0.1:15672/");
        management = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.ASCII.GetBytes($"{AmqpBase.UserInfo}")));
    }

    /// <summary>The broker's URL without a virtual host, e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c>.</summary>
    public static Uri AmqpBase { get; } = new(Environment.GetEnvironmentVariable("RabbitMq__Url") ?? "amqp://guest:guest@127.0.0.1:5672/");

    public async Task InitializeAsync()
    {
        try
        {
            (await management.GetAsync("api/overview")).EnsureSuccessStatusCode();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"RabbitMQ's management API is not reachable at {management.BaseAddress} ({ex.Message}). " +
                "Start the broker with infra/rabbitmq.sh (infra/test.sh does it for you).", ex);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var vhost in virtualHosts)
            await management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}");
        management.Dispose();
    }

    /// <summary>A fresh, empty virtual host; returns the AMQP URL that points into it.</summary>
    public async Task<Uri> CreateVirtualHostAsync()
    {
        var vhost = $"soraevents-test-{Guid.NewGuid():N}";
        (await management.PutAsJsonAsync($"api/vhosts/{vhost}", new { })).EnsureSuccessStatusCode();
        var user = AmqpBase.UserInfo.Split(':')[0];
        (await management.PutAsJsonAsync($"api/permissions/{vhost}/{user}", new { configure = ".*", write = ".*", read = ".*" }))
            .EnsureSuccessStatusCode();
        lock (virtualHosts) virtualHosts.Add(vhost);
        return new Uri(AmqpBase, vhost);
    }

    /// <summary>What the management API says about a queue (type, durability, arguments, counts).</summary>
    public async Task<System.Text.Json.JsonElement> QueueInfoAsync(Uri amqpUrl, string queue)
    {
        var vhost = Uri.EscapeDataString(amqpUrl.AbsolutePath.Trim('/'));
        return await management.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/queues/{vhost}/{Uri.EscapeDataString(queue)}");
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
