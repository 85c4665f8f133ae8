using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Service.Providers.Simulator;
using SoraEvents.Simulator.State;

namespace SoraEvents.Testing;

/// <summary>
/// One running service for one test: its own virtual host on the real broker, an independent event observer,
/// the service on a real loopback port and the built-in simulator behind it.
/// </summary>
public sealed class LiveService : IAsyncDisposable
{
    private LiveService(Uri amqpUrl, RabbitMqServiceFactory factory, EventObserver observer, HttpClient client)
    {
        AmqpUrl = amqpUrl;
        Factory = factory;
        Events = observer;
        Client = client;
    }

    public Uri AmqpUrl { get; }

    public RabbitMqServiceFactory Factory { get; }

    public EventObserver Events { get; }

    public HttpClient Client { get; }

    public SimulatorState Simulator => Factory.Services.GetRequiredService<EmbeddedSimulator>().State!;

    public Uri SimulatorUrl => Factory.Services.GetRequiredService<EmbeddedSimulator>().BaseUrl;

    public static async Task<LiveService> StartAsync(RabbitMqFixture broker, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var amqpUrl = await broker.CreateVirtualHostAsync();
        var observer = await EventObserver.StartAsync(amqpUrl);
        var factory = new RabbitMqServiceFactory(amqpUrl);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) factory.Settings[key] = value;
        observer.DescribeJob = jobId => factory.Logs.Mentioning(jobId.ToString());
        return new LiveService(amqpUrl, factory, observer, factory.StartAndCreateClient());
    }

    /// <summary>POST /v1/videos; asserts 202 and returns the job id.</summary>
    public async Task<Guid> PostVideoAsync(object request)
    {
        var response = await Client.PostAsJsonAsync("/v1/videos", request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /v1/videos answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Events.DisposeAsync();
    }
}
