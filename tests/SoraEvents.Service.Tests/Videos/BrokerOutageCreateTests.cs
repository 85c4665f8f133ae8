using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Service.Providers.Simulator;
using SoraEvents.Service.Videos;
using SoraEvents.Simulator.State;

namespace SoraEvents.Service.Tests.Videos;

/// <summary>
/// Issue 11's outage, replayed on the embedded default (in-memory bus, the built-in simulator over real HTTP):
/// the broker refuses the POST's publish, the client retries, and the gateway is paid once.
/// </summary>
public sealed class BrokerOutageCreateTests : IAsyncLifetime
{
    private readonly ServiceFactory factory = new();
    private UnreachableBroker.Switch broker = null!;
    private HttpClient client = null!;

    public Task InitializeAsync()
    {
        factory.Settings["Submission:OrphanGraceSeconds"] = "1";
        factory.TestServices = services => broker = UnreachableBroker.ForHttpPublishes(services);
        factory.UseKestrel(0); // a real port, so the simulator's callbacks come back over HTTP
        factory.StartServer();
        client = factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private SimulatorState Simulator => factory.Services.GetRequiredService<EmbeddedSimulator>().State!;

    private async Task<HttpResponseMessage> PostAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/videos") { Content = JsonContent.Create(new { prompt = "A serene beach", seconds = 4 }) };
        request.Headers.Add(IdempotencyKeys.Header, key);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Post_and_two_retries_during_an_outage_make_one_job_that_completes_paid_once()
    {
        broker.Down = true;
        var answers = new List<HttpResponseMessage> { await PostAsync("checkout-1138"), await PostAsync("checkout-1138") };
        broker.Down = false;
        answers.Add(await PostAsync("checkout-1138"));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        var jobId = Assert.Single((await Task.WhenAll(answers.Select(async a =>
            (await a.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()))).Distinct());
        await Eventually.TrueAsync(async () =>
            (await client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}")).GetProperty("status").GetString() == "completed",
            TimeSpan.FromSeconds(20), $"job {jobId} completed");

        Assert.Equal(2, broker.Refused);
        Assert.Equal(1, Simulator.GenerateCalls);
        Assert.Equal(0, Simulator.DuplicateSubmissions);
    }
}
