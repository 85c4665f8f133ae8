using System.Net.Http.Json;
using System.Text.Json;

namespace SoraEvents.Service.Tests.Integration;

/// <summary>
/// A gateway that created (and charged) the task, then answered an error, as an API gateway in front of the backend
/// can: on a real RabbitMQ, with the simulator over real HTTP (<c>[sim:create-then=504]</c>).
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class AmbiguousGatewayAnswerTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private LiveService live = null!;

    public async Task InitializeAsync() => live = await LiveService.StartAsync(broker);

    public async Task DisposeAsync() => await live.DisposeAsync();

    [Theory]
    [InlineData("pixazo", "apixo", 4)]
    [InlineData("apixo", "pixazo", 10)]
    public async Task Gateway_timeout_after_the_task_was_created_pays_once_and_the_callback_completes_the_job(string provider, string other, int seconds)
    {
        var jobId = await live.PostVideoAsync(new { prompt = "[sim:create-then=504] a harbour at dawn", seconds, provider });

        var completed = await live.Events.WaitForAsync(jobId, "VideoCompleted");

        Assert.Equal(provider, completed.Message.GetProperty("provider").GetString());
        Assert.StartsWith(live.SimulatorUrl.AbsoluteUri, completed.Message.GetProperty("videoUrl").GetString());
        // One generate call, one task: no retry and no failover after an answer that may hide a created task.
        Assert.Equal(1, live.Simulator.GenerateCallsFor(provider));
        Assert.Equal(0, live.Simulator.GenerateCallsFor(other));
        Assert.Single(live.Simulator.Requests);
        Assert.Equal(0, live.Simulator.DuplicateSubmissions);
        Assert.Empty(live.Events.For(jobId, "VideoFailed"));
        var view = await live.Client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}");
        Assert.Equal("completed", view.GetProperty("status").GetString());
    }
}
