using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SoraEvents.Testing;

/// <summary>
/// A webhook receiver on a real loopback port: records every delivery to <c>/hook</c> and answers what
/// <see cref="Answer"/> says (200 by default); <c>/redirect</c> answers 307 to <c>/hook</c>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<WebhookRequest> requests = new();
    private readonly CancellationTokenSource released = new();
    private int redirects;

    private WebhookReceiver(WebApplication app) => this.app = app;

    /// <summary>The answer to the n-th delivery (1 for the first); may wait with <see cref="HangAsync"/>.</summary>
    public Func<int, CancellationToken, Task<int>> Answer { get; set; } = (_, _) => Task.FromResult(200);

    public Uri BaseUrl { get; private set; } = null!;

    public Uri HookUrl => new(BaseUrl, "hook");

    public Uri RedirectUrl => new(BaseUrl, "redirect");

    public IReadOnlyList<WebhookRequest> Requests => requests.ToArray();

    public int Redirects => Volatile.Read(ref redirects);

    /// <summary>Starts listening on a port of its own, or on <paramref name="reservation"/>'s port, released just before.</summary>
    public static async Task<WebhookReceiver> StartAsync(PortReservation? reservation = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, reservation?.Port ?? 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", (Delegate)receiver.ReceiveAsync);
        app.MapPost("/redirect", () =>
        {
            Interlocked.Increment(ref receiver.redirects);
            return Results.Redirect("/hook", permanent: false, preserveMethod: true);
        });
        reservation?.Dispose();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return receiver;
    }

    /// <summary>Holds the answer until the receiver is disposed (or the request is aborted): a receiver that hangs.</summary>
    public async Task HangAsync(CancellationToken requestAborted)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, released.Token);
        try { await Task.Delay(Timeout.Infinite, either.Token); } catch (OperationCanceledException) { }
    }

    /// <summary>Lets every hanging answer go, as disposing does.</summary>
    public Task ReleaseAsync() => released.CancelAsync();

    /// <summary>Waits (real time, positive signal) until the recorded deliveries satisfy <paramref name="condition"/>.</summary>
    public Task WaitForAsync(Func<IReadOnlyList<WebhookRequest>, bool> condition, string what) =>
        Eventually.TrueAsync(() => Task.FromResult(condition(Requests)), ServiceClock.Patience, what);

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var request = new WebhookRequest(headers.GetValueOrDefault("webhook-id", ""), headers, body);
        requests.Enqueue(request);
        var status = await Answer(requests.Count, context.RequestAborted);
        return Results.StatusCode(status);
    }

    public async ValueTask DisposeAsync()
    {
        await released.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        released.Dispose();
    }
}

/// <summary>One delivery as it arrived: its <c>webhook-id</c>, every header (lower-case names) and the body as sent.</summary>
public sealed record WebhookRequest(string EventId, IReadOnlyDictionary<string, string> Headers, string Body);
