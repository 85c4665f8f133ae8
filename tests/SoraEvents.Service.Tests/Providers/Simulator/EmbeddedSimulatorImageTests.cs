using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Providers.Simulator;

/// <summary>
/// The embedded default (no API key: the simulator runs inside the service) must not become a way to probe the
/// service's own network: an unauthenticated <c>POST /v1/videos</c> naming a loopback image fetches nothing, and
/// the job's error reads the same whatever listens at the address.
/// </summary>
public sealed class EmbeddedSimulatorImageTests : IAsyncLifetime
{
    private readonly ServiceFactory factory = new();
    private HttpClient client = null!;
    private WebApplication web = null!;
    private TcpListener raw = null!;
    private int webHits;
    private int rawConnections;
    private readonly CancellationTokenSource stop = new();

    public async Task InitializeAsync()
    {
        web = WebApplication.CreateBuilder().Build();
        web.Urls.Add("http://127.0.0.1:0");
        web.MapGet("/image.png", () => { Interlocked.Increment(ref webHits); return Results.Bytes(TestImages.Png(1280, 720), "image/png"); });
        await web.StartAsync();
        raw = new TcpListener(IPAddress.Loopback, 0);
        raw.Start();
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var accepted = await raw.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref rawConnections);
                    await accepted.GetStream().WriteAsync("SSH-2.0-OpenSSH_9.6\r\n"u8.ToArray(), stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        });
        // The in-memory test server listens on no address; no callback is expected, only the URL must exist.
        factory.Settings["Webhooks:PublicBaseUrl"] = "http://soraevents.test";
        client = factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await factory.DisposeAsync();
        await stop.CancelAsync();
        raw.Stop();
        await web.DisposeAsync();
        stop.Dispose();
    }

    private static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task<JsonElement> FinishedJobAsync(string image)
    {
        var post = await client.PostAsJsonAsync("/v1/videos", new { prompt = "make it move", input_reference = new { image_url = image }, size = "1280x720", seconds = 4, provider = "pixazo" });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var jobId = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var view = await client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}");
            // Ended, or taken by the gateway (a task id): anything but the moments before the gateway answered.
            if (view.GetProperty("status").GetString() is "failed" or "completed"
                || view.GetProperty("attempts").EnumerateArray().Any(a => a.GetProperty("provider_request_id").ValueKind == JsonValueKind.String)) return view;
            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} still {view}: {string.Join('\n', factory.Logs.Mentioning(jobId.ToString()))}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Loopback_image_is_never_fetched_and_every_address_gets_the_same_error()
    {
        var webPort = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        var images = new[]
        {
            $"http://127.0.0.1:{webPort}/image.png",                              // an HTTP server with a valid 1280x720 image
            $"http://127.0.0.1:{ClosedPort()}/image.png",                         // nothing listening
            $"http://127.0.0.1:{((IPEndPoint)raw.LocalEndpoint).Port}/image.png", // a port that speaks no HTTP
        };

        var errors = new List<string>();
        foreach (var image in images)
        {
            var view = await FinishedJobAsync(image);
            Assert.Equal("failed", view.GetProperty("status").GetString());
            errors.Add(view.GetProperty("error").GetRawText());
        }

        Assert.Single(errors.Distinct());
        Assert.Contains("image could not be downloaded.", errors[0], StringComparison.Ordinal);
        Assert.Equal((0, 0), (webHits, rawConnections));
    }
}
