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
        await cdn.StartAsync();
        cdnUrl = cdn.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
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
        if (Directory.Exists(archive)) Directory.Delete(archive, recursive: true);
    }

    private async Task<VideoCompleted> CompleteWithAsync(string path)
    {
        var command = new GenerateVideo(Guid.NewGuid(), "archived");
        await factory.Harness.Bus.Publish(command);
        Assert.True(await factory.Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == command.JobId));
        await factory.Harness.Bus.Publish(new CallbackReceived(command.JobId, "pixazo",
            $$"""{"id":"video_1","status":"completed","video_url":"{{cdnUrl}}{{path}}"}""", DateTimeOffset.UtcNow));
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
}
