using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Service.OutboundHttp;

namespace SoraEvents.Service.Tests.OutboundHttp;

/// <summary>A client built with <c>AddOutboundHttpClient</c>, against real loopback servers that count what reaches them.</summary>
public sealed class GuardedClientTests : IAsyncLifetime
{
    private WebApplication inside = null!;
    private WebApplication other = null!;
    private int insideHits;
    private int otherHits;
    private Uri insideUrl = null!;
    private Uri otherUrl = null!;

    public async Task InitializeAsync()
    {
        (inside, insideUrl) = await StartAsync(app =>
        {
            app.MapGet("/secret", () => { Interlocked.Increment(ref insideHits); return Results.Text("internal secret"); });
            app.MapGet("/moved", () => { Interlocked.Increment(ref insideHits); return Results.Redirect("/secret"); });
            app.MapGet("/away", () => { Interlocked.Increment(ref insideHits); return Results.Redirect($"{otherUrl}secret"); });
            app.MapGet("/loop", () => { Interlocked.Increment(ref insideHits); return Results.Redirect("/loop"); });
        });
        (other, otherUrl) = await StartAsync(app => app.MapGet("/secret", () => { Interlocked.Increment(ref otherHits); return Results.Text("other secret"); }));
    }

    public async Task DisposeAsync()
    {
        await inside.DisposeAsync();
        await other.DisposeAsync();
    }

    private static async Task<(WebApplication, Uri)> StartAsync(Action<WebApplication> routes)
    {
        var app = WebApplication.CreateBuilder().Build();
        app.Urls.Add("http://127.0.0.1:0");
        routes(app);
        await app.StartAsync();
        return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/"));
    }

    public sealed class Fetcher(HttpClient http)
    {
        public HttpClient Http { get; } = http;
    }

    private static HttpClient Client(OutboundPolicy policy)
    {
        var services = new ServiceCollection();
        services.AddOutboundHttpClient<Fetcher>(_ => policy);
        return services.BuildServiceProvider().GetRequiredService<Fetcher>().Http;
    }

    private static OutboundPolicy Policy(bool privateNetworks = false, bool plainHttp = false, Uri? trusted = null) => new()
    {
        Section = "Test",
        AllowPrivateNetworks = privateNetworks,
        AllowPlainHttp = plainHttp,
        TrustedOrigins = () => trusted is null ? [] : [trusted],
    };

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/video.mp4")]
    [InlineData("gopher://127.0.0.1:70/")]
    public async Task Other_schemes_are_refused(string url)
    {
        var refused = await Assert.ThrowsAsync<OutboundRefusedException>(() => Client(Policy(privateNetworks: true, plainHttp: true)).GetAsync(url));
        Assert.Contains("never fetched", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_is_refused_unless_allowed()
    {
        var refused = await Assert.ThrowsAsync<OutboundRefusedException>(() => Client(Policy(privateNetworks: true)).GetAsync($"{insideUrl}secret"));

        Assert.Contains("Test__AllowPlainHttp", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, insideHits);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task Loopback_is_refused_after_resolution_and_nothing_reaches_the_server(string host)
    {
        var url = $"http://{host}:{insideUrl.Port}/secret";

        var refused = await Assert.ThrowsAsync<OutboundRefusedException>(() => Client(Policy(plainHttp: true)).GetAsync(url));

        Assert.Contains("Test__AllowPrivateNetworks", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, insideHits);
    }

    [Fact]
    public async Task A_name_is_checked_at_connect_time_on_the_address_it_resolved_to()
    {
        // No literal in the URL to judge beforehand: the refusal comes from the connection, after DNS.
        var policy = Policy(plainHttp: true);
        policy.CheckUrl(new Uri($"http://localhost:{insideUrl.Port}/secret"));

        await Assert.ThrowsAsync<OutboundRefusedException>(async () =>
            await OutboundConnector.ConnectAsync(policy, new DnsEndPoint("localhost", insideUrl.Port), CancellationToken.None));
        Assert.Equal(0, insideHits);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    [InlineData("http://[::ffff:169.254.169.254]/latest/meta-data/")]
    [InlineData("http://0.0.0.0:80/")]
    [InlineData("http://[ff02::1]/")]
    public async Task Metadata_and_other_never_addresses_are_refused_even_with_private_networks_allowed(string url)
    {
        var refused = await Assert.ThrowsAsync<OutboundRefusedException>(() => Client(Policy(privateNetworks: true, plainHttp: true)).GetAsync(url));
        Assert.Contains("never fetched", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Private_networks_are_reached_when_allowed()
    {
        var answer = await Client(Policy(privateNetworks: true, plainHttp: true)).GetStringAsync($"{insideUrl}secret");
        Assert.Equal("internal secret", answer);
    }

    [Fact]
    public async Task Redirect_within_the_origin_is_followed()
    {
        var answer = await Client(Policy(privateNetworks: true, plainHttp: true)).GetStringAsync($"{insideUrl}moved");
        Assert.Equal(("internal secret", 2), (answer, insideHits));
    }

    [Fact]
    public async Task Redirect_to_another_origin_is_refused_and_not_followed()
    {
        var refused = await Assert.ThrowsAsync<OutboundRefusedException>(() => Client(Policy(privateNetworks: true, plainHttp: true)).GetAsync($"{insideUrl}away"));

        Assert.Contains("redirect to another origin", refused.Message, StringComparison.Ordinal);
        Assert.Equal((1, 0), (insideHits, otherHits));
    }

    [Fact]
    public async Task Endless_redirects_are_refused()
    {
        await Assert.ThrowsAsync<OutboundRefusedException>(() => Client(Policy(privateNetworks: true, plainHttp: true)).GetAsync($"{insideUrl}loop"));
        Assert.Equal(6, insideHits);
    }

    [Fact]
    public async Task A_trusted_origin_is_reached_over_plain_http_on_loopback_and_no_other_origin_is()
    {
        var client = Client(Policy(trusted: insideUrl));

        Assert.Equal("internal secret", await client.GetStringAsync($"{insideUrl}secret"));
        await Assert.ThrowsAsync<OutboundRefusedException>(() => client.GetAsync($"{otherUrl}secret"));
        await Assert.ThrowsAsync<OutboundRefusedException>(() => client.GetAsync($"{insideUrl}away"));
        Assert.Equal(0, otherHits);
    }
}
