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
    private int failuresLeft;

    public async Task InitializeAsync()
    {
        cdn = WebApplication.CreateBuilder().Build();
        cdn.Urls.Add("http://127.0.0.1:0");
        cdn.MapGet("/ok.mp4", () => Results.Bytes(Video, "video/mp4"));
        cdn.MapGet("/flaky.mp4", () => Interlocked.Decrement(ref failuresLeft) >= 0 ? Results.StatusCode(503) : Results.Bytes(Video, "video/mp4"));
        cdn.MapGet("/slow.mp4", async () => { await Task.Delay(2000); return Results.Bytes(Video, "video/mp4"); });
        cdn.MapGet("/huge.mp4", () => Results.Bytes(new byte[4096], "video/mp4"));
        await cdn.StartAsync();
        cdnUrl = cdn.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

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
}
