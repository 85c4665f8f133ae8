using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using SoraEvents.Contracts;
using SoraEvents.Service.Tests.Integration;

namespace SoraEvents.Service.Tests.Messaging;

/// <summary>
/// What arrives on <c>generate-video</c> from other services, sent as raw AMQP on the real broker: read as leniently
/// as <c>POST /v1/videos</c> reads it, and otherwise answered for its job with <c>VideoFailed</c> naming the field.
/// Only a body that names no job may end in <c>generate-video_error</c>.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class CommandIntakeTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private const string Bare = "application/json";
    private const string Envelope = "application/vnd.masstransit+json";

    private LiveService live = null!;

    public async Task InitializeAsync() => live = await LiveService.StartAsync(broker);

    public async Task DisposeAsync() => await live.DisposeAsync();

    [Fact]
    public async Task Wrongly_typed_fields_fail_their_job_naming_the_field_and_nothing_reaches_the_error_queue()
    {
        var cases = new (string Fields, string? ContentType, string Named)[]
        {
            ("\"prompt\":\"a fox\",\"seconds\":4.5", Bare, "seconds"),
            ("\"prompt\":\"a fox\",\"seconds\":1e20", Bare, "seconds"),
            ("\"prompt\":\"a fox\",\"seconds\":\"eight\"", Bare, "seconds"),
            ("\"prompt\":123", Bare, "prompt"),
            ("\"prompt\":\"a fox\",\"metadata\":{\"order\":42}", Bare, "metadata"),
            ("\"prompt\":\"a fox\",\"metadata\":[\"order\"]", Bare, "metadata"),
            ("\"prompt\":\"a fox\",\"size\":true", null, "size"),
            ("\"prompt\":[\"a fox\"]", Envelope, "prompt"),
            ("\"prompt\":\"a fox\"", "application/xml", "content type 'application/xml'"),
            ("\"prompt\":\"a fox\",\"seconds\":", Bare, "not valid JSON"),
        };
        var jobs = cases.Select(c => (Case: c, JobId: Guid.NewGuid())).ToList();
        foreach (var (c, jobId) in jobs) await PublishAsync(jobId, c.Fields, c.ContentType);

        foreach (var (c, jobId) in jobs)
        {
            var failed = await live.Events.WaitForAsync(jobId, "VideoFailed");
            Assert.Equal(VideoFailureCodes.InvalidRequest, failed.Message.GetProperty("code").GetString());
            Assert.Contains(c.Named, failed.Message.GetProperty("reason").GetString());
            var view = await live.Client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}");
            Assert.Equal("failed", view.GetProperty("status").GetString());
        }
        Assert.Equal(0u, await RabbitMqFixture.MessageCountAsync(live.AmqpUrl, "generate-video_error"));
        Assert.All(jobs, j => Assert.Empty(live.Events.For(j.JobId, "VideoSubmitted")));
    }

    [Fact]
    public async Task Numbers_as_strings_a_byte_order_mark_and_a_missing_content_type_are_read_as_http_reads_them()
    {
        var bare = Guid.NewGuid();
        var envelope = Guid.NewGuid();
        var untyped = Guid.NewGuid();
        var untypedEnvelope = Guid.NewGuid();
        var marked = Guid.NewGuid();
        await PublishAsync(bare, "\"prompt\":\"a fox\",\"seconds\":\"8\",\"metadata\":{\"order\":\"7\"}", Bare);
        await PublishAsync(envelope, "\"prompt\":\"a fox\",\"seconds\":\"12\"", Envelope);
        await PublishAsync(untyped, "\"prompt\":\"a fox\",\"seconds\":4", null);
        await PublishAsync(untypedEnvelope, "\"prompt\":\"a fox\"", null, asEnvelope: true);
        await PublishAsync(marked, "\"prompt\":\"a fox\"", Bare, bom: true);

        foreach (var jobId in new[] { bare, envelope, untyped, untypedEnvelope, marked })
            await live.Events.WaitForAsync(jobId, "VideoCompleted");
        // The gateway was asked for what was meant, not for a default.
        Assert.Equal(8, SecondsAsked(bare));
        Assert.Equal(12, SecondsAsked(envelope));
        Assert.Equal("7", live.Events.For(bare, "VideoCompleted")[0].Message.GetProperty("metadata").GetProperty("order").GetString());
        Assert.Equal(0u, await RabbitMqFixture.MessageCountAsync(live.AmqpUrl, "generate-video_error"));
        // A readable bare command is offered to the command's consumer only: the consumer of unreadable commands
        // once took every bare body too, failed on it and sent it round the retries.
        Assert.Empty(live.Factory.Logs.Mentioning(nameof(Service.Messaging.UnreadableCommand)));
        Assert.Empty(live.Factory.Logs.Mentioning("could not be read"));
    }

    [Fact]
    public async Task Unreadable_command_for_a_known_job_leaves_that_job_untouched()
    {
        var jobId = await live.PostVideoAsync(new { prompt = "[sim:nocallback] a running job" });
        await live.Events.WaitForAsync(jobId, "VideoSubmitted");

        await PublishAsync(jobId, "\"prompt\":\"a fox\",\"seconds\":4.5", Bare);
        await Eventually.TrueAsync(() => Task.FromResult(live.Factory.Logs.Mentioning(jobId.ToString()).Any(l => l.Contains("Unreadable GenerateVideo for known job"))),
            TimeSpan.FromSeconds(30), "the unreadable command being consumed");

        Assert.Empty(live.Events.For(jobId, "VideoFailed"));
        var view = await live.Client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}");
        Assert.Equal("in_progress", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Body_that_names_no_job_is_the_only_thing_left_for_the_error_queue()
    {
        await PublishRawAsync("{\"jobId\":42,\"prompt\":\"a fox\"}", Bare);
        await PublishRawAsync("<generateVideo><prompt>a fox</prompt></generateVideo>", "application/xml");

        await Eventually.TrueAsync(async () => await RabbitMqFixture.MessageCountAsync(live.AmqpUrl, "generate-video_error") == 2,
            TimeSpan.FromSeconds(30), "both bodies in generate-video_error");
        Assert.DoesNotContain(live.Events.Events, e => e.Type == "VideoFailed");
    }

    private int? SecondsAsked(Guid jobId) =>
        live.Simulator.Find(live.Events.For(jobId, "VideoCompleted")[0].Message.GetProperty("providerRequestId").GetString()!)!.Seconds;

    private Task PublishAsync(Guid jobId, string fields, string? contentType, bool asEnvelope = false, bool bom = false)
    {
        var command = $$"""{"jobId":"{{jobId}}",{{fields}}}""";
        var body = contentType == Envelope || asEnvelope
            ? $$"""{"messageId":"{{Guid.NewGuid()}}","messageType":["urn:message:SoraEvents.Contracts:GenerateVideo"],"message":{{command}}}"""
            : command;
        return PublishRawAsync(body, contentType, bom);
    }

    private async Task PublishRawAsync(string body, string? contentType, bool bom = false)
    {
        await using var connection = await RabbitMqFixture.ConnectAsync(live.AmqpUrl);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = contentType, DeliveryMode = DeliveryModes.Persistent, MessageId = Guid.NewGuid().ToString() };
        byte[] bytes = [.. bom ? Encoding.UTF8.Preamble : [], .. Encoding.UTF8.GetBytes(body)];
        await channel.BasicPublishAsync("", "generate-video", mandatory: true, properties, bytes);
    }
}
