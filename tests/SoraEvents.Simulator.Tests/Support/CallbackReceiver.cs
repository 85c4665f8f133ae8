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
    private readonly WebApplication _app;
    private readonly Channel<ReceivedCallback> _arrivals = Channel.CreateUnbounded<ReceivedCallback>();
    private readonly ConcurrentQueue<ReceivedCallback> _received = new();
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string ContentType)> _files = new();
    private readonly Func<int, int> _answer;
    private readonly Func<string, Task>? _hold;
    private int _posts;
    private int _gets;

    private CallbackReceiver(Func<int, int> answer, Func<string, Task>? hold)
    {
        _answer = answer;
        _hold = hold;
        var builder = WebApplication.CreateSlimBuilder();

        // Ambient ASPNETCORE_URLS or Kestrel endpoints would make every receiver bind the same port.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (_hold is not null)
            {
                await _hold(http.Request.Path.Value ?? "");
            }

            var status = _answer(Interlocked.Increment(ref _posts));
            var received = new ReceivedCallback(
                http.Request.Path.Value ?? "",
                http.Request.QueryString.Value ?? "",
                http.Request.ContentType,
                body,
                status,
                DateTimeOffset.UtcNow);
            _received.Enqueue(received);
            _arrivals.Writer.TryWrite(received);
            return Results.StatusCode(status);
        });
        _app.MapGet("/{**path}", (HttpContext http) =>
        {
            Interlocked.Increment(ref _gets);
            return _files.TryGetValue(http.Request.Path.Value ?? "", out var file)
                ? Results.Bytes(file.Bytes, file.ContentType)
                : Results.NotFound();
        });
    }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<ReceivedCallback> Received => [.. _received];

    /// <summary>GET requests answered (file downloads), found or not.</summary>
    public int Downloads => Volatile.Read(ref _gets);

    /// <param name="answer">The status to answer the n-th POST with (1-based, counted once <paramref name="hold"/> lets it through); 200 for all when omitted.</param>
    /// <param name="hold">Awaited with the POST's path after its body is read and before it is answered (and recorded); none when omitted.</param>
    public static async Task<CallbackReceiver> StartAsync(Func<int, int>? answer = null, Func<string, Task>? hold = null)
    {
        var receiver = new CallbackReceiver(answer ?? (_ => 200), hold);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return receiver;
    }

    public string Url(string pathAndQuery) => new Uri(BaseUrl, pathAndQuery).ToString();

    public void Serve(string path, byte[] bytes, string contentType) => _files[path] = (bytes, contentType);

    public async Task<ReceivedCallback> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestSimulator.Patience);
        try
        {
            return await _arrivals.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No callback arrived in time.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
