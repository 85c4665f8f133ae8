using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Contracts;
using SoraEvents.Service.ApiAccess;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Videos;

/// <summary>
/// <c>GET /v1/videos/{id}/content</c>: the MP4 from the archive, else relayed from the gateway's URL through the
/// outbound guard, with <c>Range</c> honoured either way.
/// </summary>
public sealed class VideoContentTests : IAsyncLifetime
{
    private static readonly byte[] Mp4 = Enumerable.Range(0, 100_000).Select(i => (byte)(i % 251)).ToArray();

    private readonly HarnessFactory factory = new();
    private readonly ConcurrentQueue<string?> upstreamRanges = new();
    private WebApplication upstream = null!;
    private HttpClient client = null!;

    private string ArchiveFolder => Path.Combine(factory.DataFolder, "archive");

    public async Task InitializeAsync()
    {
        // A gateway's CDN on loopback: the service may reach it only because these settings say so.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        upstream = builder.Build();
        upstream.MapGet("/videos/{name}.mp4", (HttpRequest request) =>
        {
            upstreamRanges.Enqueue(request.Headers.Range.ToString() is { Length: > 0 } range ? range : null);
            return Results.Bytes(Mp4, "video/mp4", enableRangeProcessing: true);
        });
        upstream.MapGet("/expired.mp4", () => Results.StatusCode(StatusCodes.Status403Forbidden));
        await upstream.StartAsync();

        factory.Settings["Archive:Path"] = ArchiveFolder;
        factory.Settings["Archive:AllowPrivateNetworks"] = "true";
        factory.Settings["Archive:AllowPlainHttp"] = "true";
        client = factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        await upstream.DisposeAsync();
    }

    private Uri UpstreamUrl(string path) =>
        new(new Uri(upstream.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), path);

    private IJobStore Store => factory.Services.GetRequiredService<IJobStore>();

    /// <summary>A job of the (anonymous) test caller, ended as completed with <paramref name="videoUrl"/>.</summary>
    private async Task<Guid> CompletedJobAsync(string videoUrl)
    {
        var command = new GenerateVideo(Guid.NewGuid(), "A serene beach");
        var now = DateTimeOffset.UtcNow;
        await Store.CreateIfAbsentAsync(command, ApiCaller.Anonymous, now, now.AddHours(1), CancellationToken.None);
        await Store.TryFinishAsync(command.JobId, JobEnding.Completed("pixazo", "r1", [videoUrl], null), NewId.NextGuid(), now, CancellationToken.None);
        return command.JobId;
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

    [Fact]
    public async Task Archived_copy_is_served_whole_and_by_range()
    {
        var jobId = await CompletedJobAsync("https://cdn.invalid/never-fetched.mp4");
        Directory.CreateDirectory(ArchiveFolder);
        await File.WriteAllBytesAsync(Path.Combine(ArchiveFolder, $"{jobId:N}.mp4"), Mp4);

        var whole = await client.GetAsync($"/v1/videos/{jobId}/content?variant=video");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("video/mp4", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Mp4, await whole.Content.ReadAsByteArrayAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/videos/{jobId}/content") { Headers = { Range = new RangeHeaderValue(1000, 1999) } };
        var part = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 1000-1999/{Mp4.Length}", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(Mp4[1000..2000], await part.Content.ReadAsByteArrayAsync());
        Assert.Empty(upstreamRanges);
    }

    [Fact]
    public async Task Without_a_copy_the_gateway_url_is_relayed_and_a_range_is_forwarded()
    {
        var jobId = await CompletedJobAsync(UpstreamUrl("/videos/v1.mp4").AbsoluteUri);

        var whole = await client.GetAsync($"/v1/videos/{jobId}/content");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("video/mp4", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Mp4, await whole.Content.ReadAsByteArrayAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/videos/{jobId}/content") { Headers = { Range = new RangeHeaderValue(50_000, null) } };
        var part = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 50000-{Mp4.Length - 1}/{Mp4.Length}", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(Mp4[50_000..], await part.Content.ReadAsByteArrayAsync());
        Assert.Equal([null, "bytes=50000-"], upstreamRanges);
    }

    [Fact]
    public async Task An_expired_gateway_url_is_a_404_saying_so()
    {
        var jobId = await CompletedJobAsync(UpstreamUrl("/expired.mp4").AbsoluteUri);

        var response = await client.GetAsync($"/v1/videos/{jobId}/content");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("video_expired", (await ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_metadata_address_is_refused_by_the_outbound_guard()
    {
        var jobId = await CompletedJobAsync("http://169.254.169.254/latest/meta-data.mp4");

        var response = await client.GetAsync($"/v1/videos/{jobId}/content");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("refused", (await ErrorAsync(response)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Content_before_completion_and_other_variants_are_clear_404s()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "A serene beach");
        await Store.CreateIfAbsentAsync(command, ApiCaller.Anonymous, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None);

        var early = await client.GetAsync($"/v1/videos/{command.JobId}/content");
        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        Assert.Equal("video_not_ready", (await ErrorAsync(early)).GetProperty("code").GetString());

        var jobId = await CompletedJobAsync(UpstreamUrl("/videos/v1.mp4").AbsoluteUri);
        foreach (var variant in new[] { "thumbnail", "spritesheet" })
        {
            var response = await client.GetAsync($"/v1/videos/{jobId}/content?variant={variant}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var error = await ErrorAsync(response);
            Assert.Equal(("variant", "variant_not_available"), (error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
        }
    }
}
