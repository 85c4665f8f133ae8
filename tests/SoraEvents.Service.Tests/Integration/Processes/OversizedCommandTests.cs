using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Tests.Integration.Processes;

/// <summary>
/// A 60 MB command on the real broker, then listings that ask for a thousand jobs at once, against the service as a
/// process of its own, so its resident memory is the service's alone and not the test runner's.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class OversizedCommandTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private const long MemoryBound = 400L * 1024 * 1024;

    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "soraevents-oversized-test", Guid.NewGuid().ToString("N"));
    private Uri amqpUrl = null!;
    private EventObserver observer = null!;
    private ChildProcess service = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(dataFolder);
        amqpUrl = await broker.CreateVirtualHostAsync();
        observer = await EventObserver.StartAsync(amqpUrl);
        service = new ChildProcess("SoraEvents.Service.dll", new Dictionary<string, string>
        {
            ["Bus__Transport"] = "RabbitMq",
            ["RabbitMq__Url"] = amqpUrl.AbsoluteUri,
            ["Store__ConnectionString"] = $"Data Source={Path.Combine(dataFolder, "jobs.db")}",
            ["Webhooks__SigningKey"] = "oversized-test-signing-key-0123456789abcdef",
        });
        await service.StartAsync($"/v1/videos/{Guid.NewGuid()}");
    }

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        await observer.DisposeAsync();
        try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Sixty_megabyte_command_fails_its_job_unread_and_listings_stay_within_400_MB()
    {
        using var http = new HttpClient { BaseAddress = service.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        var jobId = Guid.NewGuid();
        var body = $$$"""{"jobId":"{{{jobId}}}","prompt":"{{{new string('x', 60 * 1024 * 1024)}}}","metadata":{"order":"9"}}""";
        await PublishAsync(Encoding.UTF8.GetBytes(body));
        body = null;

        var failed = await observer.WaitForAsync(jobId, "VideoFailed", TimeSpan.FromSeconds(60));

        // A few ordinary jobs besides, so each listing has something to read.
        for (var i = 0; i < 20; i++)
            (await http.PostAsJsonAsync("/v1/videos", new { prompt = $"[sim:nocallback] job {i}" })).EnsureSuccessStatusCode();
        var listings = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => http.GetFromJsonAsync<JsonElement>("/v1/videos?limit=100")));
        Assert.All(listings, l => Assert.Contains(l.GetProperty("data").EnumerateArray(), v => v.GetProperty("id").GetGuid() == jobId));

        var peak = service.PeakResidentBytes();
        Assert.True(peak < MemoryBound, $"the service's resident memory peaked at {peak / (1024 * 1024)} MB");
        Assert.Equal(VideoFailureCodes.InvalidRequest, failed.Message.GetProperty("code").GetString());
        Assert.Contains("at most 16,777,216 are accepted", failed.Message.GetProperty("reason").GetString());
        Assert.Equal("9", failed.Message.GetProperty("metadata").GetProperty("order").GetString());
    }

    private async Task PublishAsync(byte[] body)
    {
        await using var connection = await RabbitMqFixture.ConnectAsync(amqpUrl);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent, MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync("", "generate-video", mandatory: true, properties, body);
    }
}
