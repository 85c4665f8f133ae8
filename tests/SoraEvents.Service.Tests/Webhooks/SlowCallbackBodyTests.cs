using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Service.Tests.Support;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Webhooks;

/// <summary>
/// An authenticated callback whose body trickles in too slowly, over a real socket to Kestrel: Kestrel gives up
/// (its minimum body data rate, shortened here to one and a half seconds, the least it allows), and the webhook says so in one warning.
/// </summary>
public sealed class SlowCallbackBodyTests : IAsyncLifetime
{
    private readonly HarnessFactory factory = new();

    public Task InitializeAsync()
    {
        var harness = factory.TestServices;
        factory.TestServices = services =>
        {
            harness?.Invoke(services);
            services.Configure<KestrelServerOptions>(o => o.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(1.5)));
        };
        factory.UseKestrel(0);
        // The body never arrives, so nothing is published: the bus harness need not run.
        factory.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Body_arriving_too_slowly_gets_408_and_one_warning_not_an_error()
    {
        var jobId = Guid.NewGuid();
        var token = factory.Services.GetRequiredService<CallbackTokens>().Create("pixazo", jobId);
        using var client = factory.CreateClient();
        using var socket = new TcpClient();
        await socket.ConnectAsync(client.BaseAddress!.Host, client.BaseAddress.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /webhooks/pixazo/{jobId}?token={token} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
            "Content-Length: 1000\r\n\r\n{\"status\":"));

        // Nothing more is sent; Kestrel times the body out and the answer comes back on the same connection.
        var buffer = new byte[4096];
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var read = await stream.ReadAsync(buffer, wait.Token);
        var answer = Encoding.ASCII.GetString(buffer, 0, read);

        Assert.StartsWith("HTTP/1.1 408", answer);
        await Eventually.TrueAsync(() => Task.FromResult(factory.Logs.Mentioning(jobId.ToString()).Any(l => l.Contains("the body did not arrive"))),
            TimeSpan.FromSeconds(5), "the warning about the body");
        var lines = factory.Logs.Mentioning(jobId.ToString());
        Assert.Single(lines, l => l.Contains(" Warning ") && l.Contains("the body did not arrive"));
        Assert.DoesNotContain(factory.Logs.Mentioning(" Error "), l => l.Contains("BadHttpRequestException") || l.Contains("unhandled", StringComparison.OrdinalIgnoreCase));
    }
}
