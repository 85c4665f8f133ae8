using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Contracts;
using SoraEvents.Service.Archiving;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Tests.Support;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Archiving;

/// <summary>
/// Archiving finished videos, against a real HTTP server standing in for the gateway's CDN. The service's clock
/// is the test's, so background retries come when the test moves it; the slow download is held by the test,
/// so no outcome depends on how fast a loaded machine downloads.
/// </summary>
public sealed class ArchivingTests : IAsyncLifetime
{
    private static readonly byte[] Video = [0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', 1, 2, 3, 4, 5, 6, 7, 8];
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);
    private readonly HarnessFactory factory = new() { Clock = ServiceClock.StartingNow() };
    private readonly string archive = Path.Combine(Path.GetTempPath(), "soraevents-archive-tests", Guid.NewGuid().ToString("N"));
    private readonly TaskCompletionSource slowVideoReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
        cdn.MapGet("/slow.mp4", async (CancellationToken aborted) =>
        {
            await slowVideoReleased.Task.WaitAsync(aborted);
            return Results.Bytes(Video, "video/mp4");
        });
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
    }

    /// <summary>
    /// Starts the service. <paramref name="waitBeforePublishSeconds"/> is real time (a cancellation timer in the
    /// service), so a test that needs the copy named on the event gives it the longest wait allowed.
    /// </summary>
    private async Task StartServiceAsync(double waitBeforePublishSeconds)
    {
        factory.Settings["Archive:Path"] = archive;
        factory.Settings["Archive:MaxBytes"] = "1024";
        factory.Settings["Archive:WaitBeforePublishSeconds"] = waitBeforePublishSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.Settings["Archive:RetryAfterSeconds"] = RetryAfter.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.Settings["Jobs:SweepIntervalSeconds"] = "1";
        await factory.Harness.Start();
    }

    public async Task DisposeAsync()
    {
        slowVideoReleased.TrySetResult();
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
        return factory.PublishedSoFar<VideoCompleted>().Single(m => m.Context.Message.JobId == command.JobId).Context.Message;
    }

    private Task<Job?> JobAsync(Guid jobId) => factory.Services.GetRequiredService<IJobStore>().FindAsync(jobId, CancellationToken.None);

    private Task UntilArchivedAsync(Guid jobId) =>
        factory.Clock!.AdvanceUntilAsync(RetryAfter / 2, async () => (await JobAsync(jobId))?.ArchivedLocation is not null, "the archived copy");

    [Fact]
    public async Task Completed_video_is_archived_before_its_event_which_names_the_copy()
    {
        await StartServiceAsync(waitBeforePublishSeconds: 60);
        var completed = await CompleteWithAsync("/ok.mp4");

        Assert.Equal(Path.Combine(archive, $"{completed.JobId:N}.mp4"), completed.ArchivedLocation);
        Assert.Equal(Video, await File.ReadAllBytesAsync(completed.ArchivedLocation!));
        Assert.Empty(Directory.GetFiles(archive, "*.partial"));
    }

    [Fact]
    public async Task Slow_download_never_holds_back_the_event_and_the_copy_lands_later()
    {
        await StartServiceAsync(waitBeforePublishSeconds: 0.5);
        // The CDN holds the video until the event is out: the event cannot have waited for the download.
        var completed = await CompleteWithAsync("/slow.mp4");
        Assert.False(slowVideoReleased.Task.IsCompleted);
        Assert.Null(completed.ArchivedLocation);

        slowVideoReleased.SetResult();
        await UntilArchivedAsync(completed.JobId);
        Assert.Equal(Video, await File.ReadAllBytesAsync((await JobAsync(completed.JobId))!.ArchivedLocation!));
    }

    [Fact]
    public async Task Failed_download_is_retried_until_it_succeeds()
    {
        await StartServiceAsync(waitBeforePublishSeconds: 60);
        failuresLeft = 3;
        var completed = await CompleteWithAsync("/flaky.mp4");

        Assert.Null(completed.ArchivedLocation);
        await UntilArchivedAsync(completed.JobId);
        Assert.True((await JobAsync(completed.JobId))!.ArchiveAttempts >= 2);
    }

    [Fact]
    public async Task Video_over_the_size_limit_is_not_archived_and_not_retried()
    {
        await StartServiceAsync(waitBeforePublishSeconds: 60);
        var completed = await CompleteWithAsync("/huge.mp4");

        Assert.Null(completed.ArchivedLocation);
        // Well past the first retry's due time, then a retry sweep that certainly ran after it.
        await factory.Clock!.AdvanceByAsync(RetryAfter * 6, RetryAfter / 2);
        await factory.SweepAsync<ArchiveRetrier>();
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
        await StartServiceAsync(waitBeforePublishSeconds: 60);
        var completed = await CompleteWithAsync("/away.mp4");

        await AssertRefusedOnceAsync(completed, $"{cdnUrl}/away.mp4", "redirect to another origin");
        Assert.Equal(0, internalHits);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    public async Task Metadata_address_is_refused_even_with_private_networks_allowed(string url)
    {
        await StartServiceAsync(waitBeforePublishSeconds: 60);
        var completed = await CompleteWithUrlAsync(url);
        await AssertRefusedOnceAsync(completed, url, "never fetched");
    }

    [Fact]
    public async Task Answer_that_is_not_a_video_is_not_archived()
    {
        await StartServiceAsync(waitBeforePublishSeconds: 60);
        var completed = await CompleteWithAsync("/page.mp4");
        await AssertRefusedOnceAsync(completed, $"{cdnUrl}/page.mp4", "not a video");
    }

    [Fact]
    public async Task File_url_is_refused_by_the_archiver_itself()
    {
        await StartServiceAsync(waitBeforePublishSeconds: 60);
        // A callback cannot carry it any more (only http(s) video URLs complete a job); the archiver refuses it on its own too.
        using var scope = factory.Services.CreateScope();
        var archiver = scope.ServiceProvider.GetRequiredService<Service.Archiving.ArchiveDownloader>();

        var refused = await Assert.ThrowsAsync<Service.Archiving.ArchiveRefusedException>(() => archiver.ArchiveAsync(Guid.NewGuid(), "file:///etc/passwd", CancellationToken.None));
        Assert.Contains("never fetched", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_failures_read_alike_whatever_answered_at_the_address()
    {
        await StartServiceAsync(waitBeforePublishSeconds: 60);
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        using var scope = factory.Services.CreateScope();
        var archiver = scope.ServiceProvider.GetRequiredService<Service.Archiving.ArchiveDownloader>();

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
