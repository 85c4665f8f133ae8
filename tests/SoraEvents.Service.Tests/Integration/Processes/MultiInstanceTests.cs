using System.Net.Http.Json;
using System.Text.Json;

namespace SoraEvents.Service.Tests.Integration.Processes;

/// <summary>
/// Two service processes on one RabbitMQ and one PostgreSQL database, with the simulator in a process of its
/// own: a burst of 500 jobs split across both instances' HTTP endpoints.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class MultiInstanceTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private const string Key = "multi-instance-key";
    private readonly PostgresFixture postgres = new();
    private Uri amqpUrl = null!;
    private string database = null!;
    private EventObserver observer = null!;
    private ChildProcess simulator = null!;
    private readonly List<ChildProcess> services = [];

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        database = await postgres.CreateDatabaseAsync();
        amqpUrl = await broker.CreateVirtualHostAsync();
        observer = await EventObserver.StartAsync(amqpUrl);
        simulator = new ChildProcess("SoraEvents.Simulator.dll", new Dictionary<string, string>
        {
            ["Simulator__PixazoApiKey"] = Key,
            ["Simulator__ApixoApiKey"] = Key,
            ["Simulator__CallbackDelay"] = "00:00:01",
        });
        await simulator.StartAsync("/health");
        for (var i = 0; i < 2; i++)
        {
            // No public URL: each instance's callback URLs name the port it bound.
            var service = new ChildProcess("SoraEvents.Service.dll", new Dictionary<string, string>
            {
                ["Bus__Transport"] = "RabbitMq",
                ["RabbitMq__Url"] = amqpUrl.AbsoluteUri,
                ["Store__Provider"] = "Postgres",
                ["Store__ConnectionString"] = database,
                ["Webhooks__SigningKey"] = "multi-instance-signing-key-0123456789abcdef",
                ["Providers__Pixazo__BaseUrl"] = simulator.BaseUrl.AbsoluteUri,
                ["Providers__Pixazo__ApiKey"] = Key,
                ["Providers__Apixo__BaseUrl"] = simulator.BaseUrl.AbsoluteUri,
                ["Providers__Apixo__ApiKey"] = Key,
                ["Jobs__SweepIntervalSeconds"] = "0.25",
                ["Submission__SlotWaitSeconds"] = "0.25",
                ["Serilog__MinimumLevel__Default"] = "Warning",
            });
            services.Add(service);
        }
        await Task.WhenAll(services.Select(s => s.StartAsync("/health/ready")));
    }

    public async Task DisposeAsync()
    {
        foreach (var service in services) await service.DisposeAsync();
        await simulator.DisposeAsync();
        await observer.DisposeAsync();
        await postgres.DisposeAsync();
    }

    [Fact]
    public async Task Burst_of_500_jobs_on_two_instances_ends_each_once_pays_once_and_keeps_gateway_limits()
    {
        var clients = services.Select(s => new HttpClient { BaseAddress = s.BaseUrl }).ToArray();
        var jobs = Enumerable.Range(0, 500).Select(i => (JobId: Guid.NewGuid(), Provider: i % 12 == 0 ? "apixo" : "pixazo")).ToArray();
        Assert.InRange(jobs.Count(j => j.Provider == "apixo"), 40, 45); // enough to hit APIXO's 10-task limit several times over

        await Parallel.ForEachAsync(jobs.Select((job, i) => (job, client: clients[i % 2])), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (item, ct) =>
            {
                var response = await item.client.PostAsJsonAsync("/v1/videos",
                    new { jobId = item.job.JobId, prompt = "burst", provider = item.job.Provider, seconds = item.job.Provider == "apixo" ? 10 : 4 }, ct);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
            });

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (jobs.Any(j => Terminal(j.JobId).Count == 0) && DateTime.UtcNow < deadline) await Task.Delay(250);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var unfinished = jobs.Where(j => Terminal(j.JobId).Count == 0).ToList();
        Assert.True(unfinished.Count == 0, $"{unfinished.Count} jobs without a terminal event\n{services[0].Output}");
        Assert.All(jobs, j => Assert.Equal("VideoCompleted", Assert.Single(Terminal(j.JobId)).Type));

        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        var stats = await http.GetFromJsonAsync<JsonElement>("/_sim/stats");
        Assert.Equal(0, stats.GetProperty("duplicateSubmissions").GetInt32());
        Assert.Equal(0, stats.GetProperty("tooManyRequests").GetProperty("apixo").GetInt32());
        Assert.Equal(500, stats.GetProperty("accepted").GetProperty("pixazo").GetInt32() + stats.GetProperty("accepted").GetProperty("apixo").GetInt32());
    }

    private IReadOnlyList<ObservedEvent> Terminal(Guid jobId) =>
        [.. observer.For(jobId, "VideoCompleted"), .. observer.For(jobId, "VideoFailed")];
}
