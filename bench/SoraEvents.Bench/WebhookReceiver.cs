using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SoraEvents.Bench;

/// <summary>
/// The endpoint the service delivers its webhooks to: Kestrel on a loopback port of its own choosing, in this
/// process. It notes when each job's first <c>video.completed</c> arrived (wall clock, the same the service stamps
/// its bus messages with) and answers 204 at once.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> arrivals = new();
    private WebApplication app = null!;
    private int duplicates;

    public Uri Url { get; private set; } = null!;

    public int Duplicates => Volatile.Read(ref duplicates);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        receiver.app = builder.Build();
        receiver.app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            var at = DateTimeOffset.UtcNow;
            if (body.RootElement.GetProperty("type").GetString() == "video.completed"
                && Guid.TryParse(body.RootElement.GetProperty("data").GetProperty("id").GetString(), out var jobId)
                && !receiver.arrivals.TryAdd(jobId, at))
                Interlocked.Increment(ref receiver.duplicates);
            return Results.NoContent();
        });
        await receiver.app.StartAsync();
        var address = receiver.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address.TrimEnd('/') + "/hook");
        return receiver;
    }

    public bool TryGetArrival(Guid jobId, out DateTimeOffset at) => arrivals.TryGetValue(jobId, out at);

    public int CountArrived(IEnumerable<Guid> jobIds) => jobIds.Count(arrivals.ContainsKey);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
