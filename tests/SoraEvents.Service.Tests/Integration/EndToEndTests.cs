using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using SoraEvents.Contracts;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Integration;

/// <summary>The whole path on a real RabbitMQ, with the provider simulator over real HTTP on loopback.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class EndToEndTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private LiveService live = null!;

    public async Task InitializeAsync() => live = await LiveService.StartAsync(broker);

    public async Task DisposeAsync() => await live.DisposeAsync();

    private Uri amqpUrl => live.AmqpUrl;

    private EventObserver observer => live.Events;

    private HttpClient client => live.Client;

    private Uri SimulatorUrl => live.SimulatorUrl;

    private Task<Guid> PostVideoAsync(string prompt) => live.PostVideoAsync(new { prompt, size = "1280x720", seconds = 4 });

    private string Token(Guid jobId) => live.Factory.Services.GetRequiredService<CallbackTokens>().Create("pixazo", jobId);

    [Fact]
    public async Task Submitted_video_completes_with_the_simulator_url()
    {
        var jobId = await PostVideoAsync("A serene beach at sunset");

        var submitted = await observer.WaitForAsync(jobId, "VideoSubmitted");
        var completed = await observer.WaitForAsync(jobId, "VideoCompleted");

        Assert.Equal("pixazo", submitted.Message.GetProperty("provider").GetString());
        var requestId = submitted.Message.GetProperty("providerRequestId").GetString()!;
        Assert.StartsWith("sora-video_", requestId);
        Assert.Equal(requestId, completed.Message.GetProperty("providerRequestId").GetString());
        var videoUrl = completed.Message.GetProperty("videoUrl").GetString()!;
        Assert.StartsWith(SimulatorUrl.AbsoluteUri, videoUrl);

        var view = await client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}");
        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Equal(videoUrl, view.GetProperty("video_url").GetString());

        using var http = new HttpClient();
        var video = await http.GetByteArrayAsync(videoUrl);
        Assert.Equal("ftyp", Encoding.ASCII.GetString(video, 4, 4));
    }

    [Fact]
    public async Task Gateway_400_ends_in_one_video_failed()
    {
        var jobId = await PostVideoAsync("[sim:http=400] a beach");

        var failed = await observer.WaitForAsync(jobId, "VideoFailed");
        Assert.Equal(VideoFailureCodes.ProviderRejected, failed.Message.GetProperty("code").GetString());
        Assert.Equal("pixazo", failed.Message.GetProperty("provider").GetString());
        Assert.Empty(observer.For(jobId, "VideoSubmitted"));
    }

    [Fact]
    public async Task Callback_with_a_wrong_token_is_401_and_produces_no_event()
    {
        var jobId = await PostVideoAsync("[sim:nocallback] a beach");
        var submitted = await observer.WaitForAsync(jobId, "VideoSubmitted");
        var body = CompletedBody(submitted.Message.GetProperty("providerRequestId").GetString()!);

        var response = await client.PostAsync($"/webhooks/pixazo/{jobId}?token={Token(Guid.NewGuid())}", Json(body));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(observer.For(jobId, "VideoCompleted"));
        var view = await client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}");
        Assert.Equal("in_progress", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Same_callback_twice_still_gives_one_terminal_event()
    {
        var jobId = await PostVideoAsync("[sim:nocallback] a beach");
        var submitted = await observer.WaitForAsync(jobId, "VideoSubmitted");
        var body = CompletedBody(submitted.Message.GetProperty("providerRequestId").GetString()!);
        var url = $"/webhooks/pixazo/{jobId}?token={Token(jobId)}";

        var answers = await Task.WhenAll(client.PostAsync(url, Json(body)), client.PostAsync(url, Json(body)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await client.PostAsync(url, Json(body));

        await observer.WaitForAsync(jobId, "VideoCompleted");
        // The consumer has had all three: the two it ignored said so. Only then is "one event" a finding.
        await Eventually.TrueAsync(() => Task.FromResult(live.Factory.Logs.Mentioning(jobId.ToString()).Count(l => l.Contains("had already ended", StringComparison.Ordinal)) >= 2),
            TimeSpan.FromSeconds(30), "the consumer ignoring the two copies");
        Assert.Single(observer.For(jobId, "VideoCompleted"));
        Assert.Empty(observer.For(jobId, "VideoFailed"));
    }

    [Fact]
    public async Task Envelope_published_by_a_client_that_is_not_dotnet_completes()
    {
        var jobId = Guid.NewGuid();
        // Hand-written, as a Python or Node service would produce it: no MassTransit types involved.
        var envelope = $$"""
            {
              "messageId": "{{Guid.NewGuid()}}",
              "messageType": ["urn:message:SoraEvents.Contracts:GenerateVideo"],
              "message": { "jobId": "{{jobId}}", "prompt": "A lighthouse in a storm", "size": "720x1280", "metadata": { "from": "python" } },
              "sentTime": "{{DateTime.UtcNow:O}}",
              "headers": {}
            }
            """;
        await PublishRawAsync("SoraEvents.Contracts:GenerateVideo", "", envelope, "application/vnd.masstransit+json");

        var submitted = await observer.WaitForAsync(jobId, "VideoSubmitted");
        var completed = await observer.WaitForAsync(jobId, "VideoCompleted");
        Assert.Equal("SoraEvents.Contracts:VideoSubmitted", submitted.Exchange);
        Assert.Equal("SoraEvents.Contracts:VideoCompleted", completed.Exchange);
        Assert.Equal("python", completed.Message.GetProperty("metadata").GetProperty("from").GetString());
    }

    [Fact]
    public async Task Plain_json_sent_to_the_queue_completes()
    {
        var jobId = Guid.NewGuid();
        await PublishRawAsync("", "generate-video", $$"""{"jobId":"{{jobId}}","prompt":"A fox in the snow"}""", "application/json");

        await observer.WaitForAsync(jobId, "VideoCompleted");
    }

    [Fact]
    public async Task Invalid_command_from_the_bus_fails_once_and_never_reaches_the_error_queue()
    {
        var jobId = Guid.NewGuid();
        await PublishRawAsync("", "generate-video", $$"""{"jobId":"{{jobId}}","prompt":"","seconds":5}""", "application/json");

        var failed = await observer.WaitForAsync(jobId, "VideoFailed");
        Assert.Equal(VideoFailureCodes.InvalidRequest, failed.Message.GetProperty("code").GetString());
        Assert.Contains("prompt is required", failed.Message.GetProperty("reason").GetString());
        Assert.Contains("seconds 5", failed.Message.GetProperty("reason").GetString());
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(0u, await RabbitMqFixture.MessageCountAsync(amqpUrl, "generate-video_error"));
        Assert.Single(observer.For(jobId, "VideoFailed"));
    }

    [Fact]
    public async Task Garbage_on_the_queue_lands_in_the_error_queue_and_the_consumer_keeps_working()
    {
        await PublishRawAsync("", "generate-video", "this is not json {", "application/json");
        await Eventually.TrueAsync(async () => await RabbitMqFixture.MessageCountAsync(amqpUrl, "generate-video_error") == 1,
            TimeSpan.FromSeconds(20), "the garbage message in generate-video_error");

        var jobId = await PostVideoAsync("A calm lake");
        await observer.WaitForAsync(jobId, "VideoCompleted");
    }

    private static string CompletedBody(string requestId) => $$$"""
        {"request_id":"{{{requestId}}}","status":"COMPLETED","model_id":"sora-video","error":null,
         "output":{"media_url":["https://cdn.example/{{{requestId}}}/output.mp4"],"media_type":"video/mp4"}}
        """;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task PublishRawAsync(string exchange, string routingKey, string body, string contentType)
    {
        await using var connection = await RabbitMqFixture.ConnectAsync(amqpUrl);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = contentType, DeliveryMode = DeliveryModes.Persistent, MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
    }
}
