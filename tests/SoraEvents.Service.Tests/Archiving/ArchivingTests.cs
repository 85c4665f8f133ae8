using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Tests.Support;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Archiving;

/// <summary>Archiving finished videos, against a real HTTP server standing in for the gateway's CDN.</summary>
public sealed class ArchivingTests : IAsyncLifetime
{
    private static readonly byte[] Video = [0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', 1, 2, 3, 4, 5, 6, 7, 8];
    private readonly HarnessFactory factory = new();
    private readonly string archive = Path.Combine(Path.GetTempPath(), "soraevents-archive-tests", Guid.NewGuid().ToString("N"));
    private WebApplication cdn = null!;
    private string cdnUrl = null!;
    private WebApplication internalService = null!;
    private string internalUrl = null!;
    private int internalHits;
    private int failuresLeft;

    public async Task InitializeAsync()
    {
        cdn = WebApplication.CreateBuilder().Build();
        cdn.Urls.Add("http://127.0.0.1:0");
        cdn.MapGet("/ok.mp4", () => Results.Bytes(Video, "video/mp4"));
        cdn.MapGet("/flaky.mp4", () => Interlocked.Decrement(ref failuresLeft) >= 0 ? Results.StatusCode(503) : Results.Bytes(Video, "video/mp4"));
        cdn.MapGet("/slow.mp4", async () => { await Task.Delay(2000); return Results.Bytes(Video, "video/mp4"); });
        cdn.MapGet("/huge.mp4", () => Results.Bytes(new byte[4096], "video/mp4"));
        cdn.MapGet("/page.mp4", () => Results.Text("<html>secret admin page</html>", "text/html"));
        cdn.MapGet("/away.mp4", () => Results.Redirect($"{internalUrl}/secret"));
        await cdn.StartAsync();
        cdnUrl = cdn.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        internalService = WebApplication.CreateBuilder().Build();
        internalService.Urls.Add("http://127.0.0.1:0");
        internalService.MapGet("/secret", () => { Interlocked.Increment(ref internalHits); return Results.Bytes(Video, "video/mp4"); });
        await internalService.StartAsync();
        internalUrl = internalService.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        // The CDN stands on loopback over http, as the tests' servers do; the switches that allow it are named settings.
        factory.Settings["Archive:AllowPrivateNetworks"] = "true";
        factory.Settings["Archive:AllowPlainHttp"] = "true";

        factory.Settings["Archive:Path"] = archive;
        factory.Settings["Archive:MaxBytes"] = "1024";
        factory.Settings["Archive:WaitBeforePublishSeconds"] = "0.5";
        factory.Settings["Archive:RetryAfterSeconds"] = "0.2";
        await factory.Harness.Start();
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        await cdn.DisposeAsync();
        await internalService.DisposeAsync();
        if (Directory.Exists(archive)) Directory.Delete(archive, recursive: true);
    }

    private Task<VideoCompleted> CompleteWithAsync(string path) => CompleteWithUrlAsync(cdnUrl + path);

    private async Task<VideoCompleted> CompleteWithUrlAsync(string videoUrl)
    {
        var command = new GenerateVideo(Guid.NewGuid(), "archived");
        await factory.Harness.Bus.Publish(command);
        Assert.True(await factory.Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == command.JobId));
        await factory.Harness.Bus.Publish(new CallbackReceived(command.JobId, "pixazo",
            $$"""{"id":"video_1","status":"completed","video_url":"{{videoUrl}}"}""", DateTimeOffset.UtcNow));
        Assert.True(await factory.Harness.Published.Any<VideoCompleted>(m => m.Context.Message.JobId == command.JobId));
        return factory.Harness.Published.Select<VideoCompleted>().Single(m => m.Context.Message.JobId == command.JobId).Context.Message;
    }

    private Task<Job?> JobAsync(Guid jobId) => factory.Services.GetRequiredService<IJobStore>().FindAsync(jobId, CancellationToken.None);

    [Fact]
    public async Task Completed_video_is_archived_before_its_event_which_names_the_copy()
    {
        var completed = await CompleteWithAsync("/ok.mp4");

        Assert.Equal(Path.Combine(archive, $"{completed.JobId:N}.mp4"), completed.ArchivedLocation);
        Assert.Equal(Video, await File.ReadAllBytesAsync(completed.ArchivedLocation!));
        Assert.Empty(Directory.GetFiles(archive, "*.partial"));
    }

    [Fact]
    public async Task Slow_download_never_holds_back_the_event_and_the_copy_lands_later()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var completed = await CompleteWithAsync("/slow.mp4");

        Assert.Null(completed.ArchivedLocation);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the event waited {clock.Elapsed}");
        await Eventually.TrueAsync(async () => (await JobAsync(completed.JobId))?.ArchivedLocation is not null, TimeSpan.FromSeconds(20), "the archived copy");
        Assert.Equal(Video, await File.ReadAllBytesAsync((await JobAsync(completed.JobId))!.ArchivedLocation!));
    }

    [Fact]
    public async Task Failed_download_is_retried_until_it_succeeds()
    {
        failuresLeft = 3;
        var completed = await CompleteWithAsync("/flaky.mp4");

        Assert.Null(completed.ArchivedLocation);
        await Eventually.TrueAsync(async () => (await JobAsync(completed.JobId))?.ArchivedLocation is not null, TimeSpan.FromSeconds(20), "the archived copy");
        Assert.True((await JobAsync(completed.JobId))!.ArchiveAttempts >= 2);
    }

    [Fact]
    public async Task Video_over_the_size_limit_is_not_archived_and_not_retried()
    {
        var completed = await CompleteWithAsync("/huge.mp4");

        Assert.Null(completed.ArchivedLocation);
        await Task.Delay(800);
        var job = (await JobAsync(completed.JobId))!;
        Assert.Equal((null, 0), (job.ArchivedLocation, job.ArchiveAttempts));
        Assert.False(File.Exists(Path.Combine(archive, $"{completed.JobId:N}.mp4")));
    }

    /// <summary>The refusal is one warning line for the job, and nothing is retried or kept.</summary>
    private async Task AssertRefusedOnceAsync(VideoCompleted completed, string videoUrl, string reason)
    {
        Assert.Equal((videoUrl, null), (completed.VideoUrl, completed.ArchivedLocation));
        await Task.Delay(800);
        var job = (await JobAsync(completed.JobId))!;
        Assert.Equal((null, 0), (job.ArchivedLocation, job.ArchiveAttempts));
        Assert.False(File.Exists(Path.Combine(archive, $"{completed.JobId:N}.mp4")));
        var warning = Assert.Single(factory.Logs.Mentioning(completed.JobId.ToString()), l => l.Contains(" Warning ", StringComparison.Ordinal));
        Assert.Contains(reason, warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirect_to_an_internal_address_is_refused_and_the_job_completes_with_the_gateway_url()
    {
        var completed = await CompleteWithAsync("/away.mp4");

        await AssertRefusedOnceAsync(completed, $"{cdnUrl}/away.mp4", "redirect to another origin");
        Assert.Equal(0, internalHits);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    public async Task Metadata_address_is_refused_even_with_private_networks_allowed(string url)
    {
        var completed = await CompleteWithUrlAsync(url);
        await AssertRefusedOnceAsync(completed, url, "never fetched");
    }

    [Fact]
    public async Task Answer_that_is_not_a_video_is_not_archived()
    {
        var completed = await CompleteWithAsync("/page.mp4");
        await AssertRefusedOnceAsync(completed, $"{cdnUrl}/page.mp4", "not a video");
    }

    [Fact]
    public async Task File_url_is_refused_by_the_archiver_itself()
    {
        // A callback cannot carry it any more (only http(s) video URLs complete a job); the archiver refuses it on its own too.
        using var scope = factory.Services.CreateScope();
        var archiver = scope.ServiceProvider.GetRequiredService<Service.Archiving.VideoArchiver>();

        var refused = await Assert.ThrowsAsync<Service.Archiving.ArchiveRefusedException>(() => archiver.ArchiveAsync(Guid.NewGuid(), "file:///etc/passwd", CancellationToken.None));
        Assert.Contains("never fetched", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_failures_read_alike_whatever_answered_at_the_address()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        using var scope = factory.Services.CreateScope();
        var archiver = scope.ServiceProvider.GetRequiredService<Service.Archiving.VideoArchiver>();

        var reasons = new List<string>();
        foreach (var url in new[] { $"http://127.0.0.1:{closedPort}/v.mp4", $"{cdnUrl}/missing.mp4", $"{cdnUrl}/flaky.mp4" })
        {
            failuresLeft = 1;
            var failed = await Assert.ThrowsAsync<Service.Archiving.ArchiveDownloadFailedException>(() => archiver.ArchiveAsync(Guid.NewGuid(), url, CancellationToken.None));
            reasons.Add(failed.Message);
        }

        Assert.Equal("the video could not be downloaded", Assert.Single(reasons.Distinct()));
    }
}
