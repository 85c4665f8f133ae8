using System.Net.Http.Json;
using System.Text.Json;

namespace SoraEvents.Service.Tests.Integration.Processes;

/// <summary>
/// The service process killed (SIGKILL) and restarted in the middle of 100 jobs, with the simulator in a
/// process of its own so the gateway outlives the crash, as a real one would.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class ServiceProcessKillTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private const string Key = "process-test-key";
    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "soraevents-kill-test", Guid.NewGuid().ToString("N"));
    private Uri amqpUrl = null!;
    private EventObserver observer = null!;
    private ChildProcess simulator = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(dataFolder);
        amqpUrl = await broker.CreateVirtualHostAsync();
        observer = await EventObserver.StartAsync(amqpUrl);
        simulator = new ChildProcess("SoraEvents.Simulator.dll", new Dictionary<string, string>
        {
            ["Simulator__PixazoApiKey"] = Key,
            ["Simulator__ApixoApiKey"] = Key,
            ["Simulator__CallbackDelay"] = "00:00:01",
        });
        await simulator.StartAsync("/health");
    }

    public async Task DisposeAsync()
    {
        await simulator.DisposeAsync();
        await observer.DisposeAsync();
        try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
    }

    /// <summary>The service on <paramref name="port"/> (0: a port of its own); with no public URL set, its callback URLs name the port it listens on.</summary>
    private ChildProcess NewService(int port) => new("SoraEvents.Service.dll", new Dictionary<string, string>
    {
        ["Bus__Transport"] = "RabbitMq",
        ["RabbitMq__Url"] = amqpUrl.AbsoluteUri,
        ["Store__ConnectionString"] = $"Data Source={Path.Combine(dataFolder, "jobs.db")}",
        ["Webhooks__SigningKey"] = "kill-test-signing-key-0123456789abcdef012345",
        ["Providers__Pixazo__BaseUrl"] = simulator.BaseUrl.AbsoluteUri,
        ["Providers__Pixazo__ApiKey"] = Key,
        ["Providers__Pixazo__PollAfterSeconds"] = "2",
        ["Providers__Pixazo__PollEverySeconds"] = "2",
        ["Providers__Apixo__BaseUrl"] = simulator.BaseUrl.AbsoluteUri,
        ["Providers__Apixo__ApiKey"] = Key,
        ["Jobs__SweepIntervalSeconds"] = "0.5",
        ["Jobs__Deadline"] = "00:01:30",
        ["Submission__OrphanGraceSeconds"] = "3",
    }, port);

    [Fact]
    public async Task Killed_and_restarted_service_ends_every_job_once_and_pays_for_none_twice()
    {
        var first = NewService(port: 0);
        await first.StartAsync($"/v1/videos/{Guid.NewGuid()}");
        using var http = new HttpClient { BaseAddress = first.BaseUrl };

        var jobIds = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).ToArray();
        var posting = Parallel.ForEachAsync(jobIds, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (jobId, ct) =>
        {
            try
            {
                await http.PostAsJsonAsync("/v1/videos", new { jobId, prompt = $"job {jobId}" }, ct);
            }
            catch (HttpRequestException)
            {
                // The process died under this request; the same command is sent again below, as a caller would.
            }
        });
        await Eventually.TrueAsync(() => Task.FromResult(observer.Events.Count(e => e.Type == "VideoSubmitted") >= 30),
            TimeSpan.FromSeconds(60), $"30 submissions before the crash\n{first.Output}");
        await first.KillAsync();
        await posting;

        // Back on the same port, as a restarted service is: the callback URLs the first one handed out lead here.
        await using var second = NewService(first.Port);
        await second.StartAsync($"/v1/videos/{Guid.NewGuid()}");
        // A caller whose POST was cut off repeats it with the same jobId; for the others it is a no-op.
        foreach (var jobId in jobIds) await http.PostAsJsonAsync("/v1/videos", new { jobId, prompt = $"job {jobId}" });

        foreach (var jobId in jobIds)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (Terminal(jobId).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
            Assert.True(Terminal(jobId).Count > 0, $"job {jobId} has no terminal event\n{second.Output}");
        }
        await Task.Delay(TimeSpan.FromSeconds(2));

        foreach (var jobId in jobIds)
        {
            var terminal = Terminal(jobId);
            Assert.Single(terminal.Select(e => (e.Type, e.MessageId)).Distinct());
        }
        Assert.Empty(await SubmittedTwiceAsync());
    }

    private IReadOnlyList<ObservedEvent> Terminal(Guid jobId) =>
        [.. observer.For(jobId, "VideoCompleted"), .. observer.For(jobId, "VideoFailed")];

    /// <summary>Jobs the simulator accepted more than once, read from its record of requests (callback URL path = job).</summary>
    private async Task<IReadOnlyList<string>> SubmittedTwiceAsync()
    {
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        var requests = await http.GetFromJsonAsync<JsonElement>("/_sim/requests");
        return requests.EnumerateArray()
            .Select(r => r.GetProperty("callback_url").GetString())
            .Where(url => url is not null)
            .Select(url => new Uri(url!).AbsolutePath)
            .GroupBy(path => path)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToList();
    }
}
