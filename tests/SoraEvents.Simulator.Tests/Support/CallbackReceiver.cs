using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SoraEvents.Simulator.Tests.Support;

/// <summary>
/// A tiny real HTTP server on loopback standing in for the SoraEvents webhook receiver: it records
/// every POST and answers what the test tells it to. It also serves files, for image downloads.
/// </summary>
internal sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Channel<ReceivedCallback> arrivals = Channel.CreateUnbounded<ReceivedCallback>();
    private readonly ConcurrentQueue<ReceivedCallback> received = new();
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string ContentType)> files = new();
    private readonly Func<int, int> answer;
    private readonly Func<string, Task>? hold;
    private int posts;
    private int gets;

    private CallbackReceiver(Func<int, int> answer, Func<string, Task>? hold)
    {
        this.answer = answer;
        this.hold = hold;
        var builder = WebApplication.CreateSlimBuilder();

        // Ambient ASPNETCORE_URLS or Kestrel endpoints would make every receiver bind the same port.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        app = builder.Build();
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (this.hold is not null)
            {
                await this.hold(http.Request.Path.Value ?? "");
            }

            var status = this.answer(Interlocked.Increment(ref posts));
            var received = new ReceivedCallback(
                http.Request.Path.Value ?? "",
                http.Request.QueryString.Value ?? "",
                http.Request.ContentType,
                body,
                status,
                DateTimeOffset.UtcNow);
            this.received.Enqueue(received);
            arrivals.Writer.TryWrite(received);
            return Results.StatusCode(status);
        });
        app.MapGet("/{**path}", (HttpContext http) =>
        {
            Interlocked.Increment(ref gets);
            return files.TryGetValue(http.Request.Path.Value ?? "", out var file)
                ? Results.Bytes(file.Bytes, file.ContentType)
                : Results.NotFound();
        });
    }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<ReceivedCallback> Received => [.. this.received];

    /// <summary>GET requests answered (file downloads), found or not.</summary>
    public int Downloads => Volatile.Read(ref gets);

    /// <param name="answer">The status to answer the n-th POST with (1-based, counted once <paramref name="hold"/> lets it through); 200 for all when omitted.</param>
    /// <param name="hold">Awaited with the POST's path after its body is read and before it is answered (and recorded); none when omitted.</param>
    public static async Task<CallbackReceiver> StartAsync(Func<int, int>? answer = null, Func<string, Task>? hold = null)
    {
        var receiver = new CallbackReceiver(answer ?? (_ => 200), hold);
        await receiver.app.StartAsync();
        var address = receiver.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return receiver;
    }

    public string Url(string pathAndQuery) => new Uri(BaseUrl, pathAndQuery).ToString();

    public void Serve(string path, byte[] bytes, string contentType) => files[path] = (bytes, contentType);

    public async Task<ReceivedCallback> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestSimulator.Patience);
        try
        {
            return await arrivals.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No callback arrived in time.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
