using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Providers.Simulator;
using SoraEvents.Service.Tests.Jobs;
using SoraEvents.Simulator.State;

namespace SoraEvents.Service.Tests.Submission;

/// <summary>
/// The store failing once while a job is claimed (issue 11, item 5), on the embedded default: in-memory bus, the
/// built-in simulator over real HTTP, Pixazo with a request budget so every call asks the store's ledger first.
/// </summary>
public sealed class StoreErrorAfterClaimTests : IAsyncLifetime
{
    private readonly ServiceFactory factory = new();
    private StoreFaults faults = null!;
    private HttpClient client = null!;

    public Task InitializeAsync()
    {
        factory.Settings["Providers:Pixazo:RequestsPerMinute"] = "600";
        factory.TestServices = services => faults = StoreFaults.Install(services);
        // A real loopback port, so the simulator's callbacks come back over HTTP.
        factory.UseKestrel(0);
        factory.StartServer();
        client = factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private SimulatorState Simulator => factory.Services.GetRequiredService<EmbeddedSimulator>().State!;

    private async Task<Guid> PostAsync()
    {
        var response = await client.PostAsJsonAsync("/v1/videos", new { prompt = "A serene beach", seconds = 4 });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<string?> StatusAsync(Guid jobId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}")).GetProperty("status").GetString();

    [Fact]
    public async Task Store_error_after_the_claim_before_the_request_left_gives_the_claim_back_and_the_job_completes()
    {
        faults.FailNext(nameof(IJobStore.TryTakeGatewayCallAsync), new SqliteException("database is locked", 5));
        var jobId = await PostAsync();

        await Eventually.TrueAsync(async () => await StatusAsync(jobId) == "completed", TimeSpan.FromSeconds(20),
            $"job {jobId} completed; the service said:{Environment.NewLine}{string.Join(Environment.NewLine, factory.Logs.Mentioning(jobId.ToString()))}");
        Assert.Equal(1, faults.Thrown(nameof(IJobStore.TryTakeGatewayCallAsync)));
        Assert.Single(Simulator.Requests);
        Assert.Equal(0, Simulator.DuplicateSubmissions);
        Assert.Single(factory.Logs.Mentioning($"Submitting job {jobId} to pixazo failed before its request left"));
    }

    [Fact]
    public async Task Store_error_after_the_request_left_keeps_the_claim_and_the_callback_completes_the_job()
    {
        faults.FailNext(nameof(IJobStore.MarkSubmittedAsync), new SqliteException("database is locked", 5));
        var jobId = await PostAsync();

        await Eventually.TrueAsync(async () => await StatusAsync(jobId) == "completed", TimeSpan.FromSeconds(20), $"job {jobId} completed");
        Assert.Equal(1, faults.Thrown(nameof(IJobStore.MarkSubmittedAsync)));
        Assert.Single(Simulator.Requests); // the request may have arrived, so it was never sent again
        Assert.Empty(factory.Logs.Mentioning($"Submitting job {jobId} to pixazo failed before its request left"));
    }
}
