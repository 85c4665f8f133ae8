using System.Net.Http.Json;
using System.Text.Json;
using SoraEvents.Simulator.State;

namespace SoraEvents.Service.Tests.Integration;

/// <summary>A gateway that loses, repeats and reorders callbacks, against the real broker.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class CallbackChaosTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private LiveService live = null!;

    public async Task InitializeAsync() => live = await LiveService.StartAsync(broker, new Dictionary<string, string?>
    {
        ["Simulator:CallbackDropRate"] = "0.3",
        ["Simulator:CallbackDuplicateRate"] = "0.3",
        ["Simulator:CallbackReorder"] = "true",
        ["Simulator:Seed"] = "20261121",
        // Dropped callbacks are found by status checks; quick ones keep the test short.
        ["Providers:Pixazo:PollAfterSeconds"] = "1",
        ["Providers:Pixazo:PollEverySeconds"] = "1",
    });

    public async Task DisposeAsync() => await live.DisposeAsync();

    [Fact]
    public async Task Dropped_tripled_and_reordered_callbacks_still_end_every_job_once()
    {
        var jobIds = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => live.PostVideoAsync(new { prompt = $"chaos {i}" })));

        foreach (var jobId in jobIds) await live.Events.WaitForAsync(jobId, "VideoCompleted", TimeSpan.FromSeconds(60));
        // Every late copy and stale update the simulator meant to send has been taken by the webhook; then a
        // moment for the consumer to work them off.
        await Eventually.TrueAsync(() => Task.FromResult(live.Simulator.Requests.All(r =>
                r.CallbacksDelivered >= r.CallbackCopies + (r.CallbackPlan == CallbackPlan.Reordered ? 1 : 0))),
            TimeSpan.FromSeconds(60), "every planned callback delivered");
        await Task.Delay(TimeSpan.FromSeconds(1));

        var plans = live.Simulator.Requests.GroupBy(r => r.CallbackPlan).ToDictionary(g => g.Key!.Value, g => g.Count());
        Assert.True(plans.GetValueOrDefault(CallbackPlan.Dropped) > 0 && plans.GetValueOrDefault(CallbackPlan.Tripled) > 0
            && plans.GetValueOrDefault(CallbackPlan.Reordered) > 0, $"every kind of trouble happened: {string.Join(", ", plans)}");
        foreach (var jobId in jobIds)
        {
            Assert.Single(live.Events.For(jobId, "VideoCompleted"));
            Assert.Empty(live.Events.For(jobId, "VideoFailed"));
            var view = await live.Client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}");
            Assert.Equal("completed", view.GetProperty("status").GetString()); // a stale "processing" never moved it back
        }
        Assert.Equal(0, live.Simulator.DuplicateSubmissions);
    }
}
