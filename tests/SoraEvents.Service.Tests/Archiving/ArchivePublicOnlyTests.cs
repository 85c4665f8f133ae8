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

/// <summary>
/// Archiving as shipped: private networks not allowed. A gateway callback naming an internal address must not make
/// the service fetch it (plain http is allowed here, so what refuses is the address, checked after DNS).
/// </summary>
public sealed class ArchivePublicOnlyTests : IAsyncLifetime
{
    private readonly HarnessFactory factory = new();
    private readonly string archive = Path.Combine(Path.GetTempPath(), "soraevents-archive-tests", Guid.NewGuid().ToString("N"));
    private WebApplication internalService = null!;
    private int port;
    private int hits;

    public async Task InitializeAsync()
    {
        internalService = WebApplication.CreateBuilder().Build();
        internalService.Urls.Add("http://127.0.0.1:0");
        internalService.MapGet("/secret", () => { Interlocked.Increment(ref hits); return Results.Bytes([1, 2, 3], "video/mp4"); });
        await internalService.StartAsync();
        port = new Uri(internalService.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

        factory.Settings["Archive:Path"] = archive;
        factory.Settings["Archive:AllowPlainHttp"] = "true";
        factory.Settings["Archive:WaitBeforePublishSeconds"] = "2";
        factory.Settings["Archive:RetryAfterSeconds"] = "0.2";
        await factory.Harness.Start();
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        await internalService.DisposeAsync();
        if (Directory.Exists(archive)) Directory.Delete(archive, recursive: true);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/secret")]
    [InlineData("http://localhost:{port}/secret")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/secret")]
    [InlineData("https://127.0.0.1:{port}/secret")]
    public async Task Internal_url_is_refused_and_the_job_completes_with_the_gateway_url(string template)
    {
        var url = template.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var command = new GenerateVideo(Guid.NewGuid(), "archived");
        await factory.Harness.Bus.Publish(command);
        Assert.True(await factory.Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == command.JobId));

        await factory.Harness.Bus.Publish(new CallbackReceived(command.JobId, "pixazo",
            $$"""{"id":"video_1","status":"completed","video_url":"{{url}}"}""", DateTimeOffset.UtcNow));

        Assert.True(await factory.Harness.Published.Any<VideoCompleted>(m => m.Context.Message.JobId == command.JobId));
        var completed = factory.Harness.Published.Select<VideoCompleted>().Single(m => m.Context.Message.JobId == command.JobId).Context.Message;
        Assert.Equal((url, null), (completed.VideoUrl, completed.ArchivedLocation));
        await Task.Delay(800);
        var job = (await factory.Services.GetRequiredService<IJobStore>().FindAsync(command.JobId, CancellationToken.None))!;
        Assert.Equal((null, 0), (job.ArchivedLocation, job.ArchiveAttempts));
        var warning = Assert.Single(factory.Logs.Mentioning(command.JobId.ToString()), l => l.Contains(" Warning ", StringComparison.Ordinal));
        Assert.Contains("Archive__AllowPrivateNetworks", warning, StringComparison.Ordinal);
        Assert.Equal(0, hits);
        Assert.False(Directory.Exists(archive) && Directory.EnumerateFiles(archive).Any());
    }
}
