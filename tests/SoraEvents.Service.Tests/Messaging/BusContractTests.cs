using System.Text;
using System.Text.Json;
using SoraEvents.Testing.AsyncApi;

namespace SoraEvents.Service.Tests.Messaging;

/// <summary>The check every message seen on the real broker goes through (tests/SoraEvents.Testing/AsyncApi/BusContract.cs).</summary>
public sealed class BusContractTests
{
    private static readonly BusContract Contract = BusContract.Document;

    private const string Completed = """
        {"messageId":"fe350000-d196-c25e-f8dd-08df50823ddc","conversationId":"fe350000-d196-c25e-082d-08df50823de0",
         "sourceAddress":"rabbitmq://localhost/callback-received","destinationAddress":"rabbitmq://localhost/SoraEvents.Contracts:VideoCompleted",
         "messageType":["urn:message:SoraEvents.Contracts:VideoCompleted"],
         "message":{"jobId":"7b10d578-3e82-5519-93e5-a5571ac7cb38","provider":"pixazo","providerRequestId":"sora-video_1",
                    "videoUrl":"http://127.0.0.1:1/media/output.mp4","videoUrls":["http://127.0.0.1:1/media/output.mp4"],
                    "expiresAt":null,"completedAt":"2026-12-02T14:40:42.376+00:00","metadata":{"order":"42"},"archivedLocation":null},
         "sentTime":"2026-12-02T14:40:42.392422Z","headers":{},"host":{"machineName":"vm","processId":1}}
        """;

    public static TheoryData<string> Examples() => [.. Contract.Examples().Select(e => e.ToString())];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Each_example_in_the_document_is_valid_against_its_own_message(string example)
    {
        var shown = Contract.Examples().Single(e => e.ToString() == example);

        Assert.Null(Contract.Check(shown.Message, shown.Part, shown.Value));
    }

    [Fact]
    public void Every_message_in_the_document_has_a_payload_example()
    {
        var withExamples = Contract.Examples().Where(e => e.Part == "payload").Select(e => e.Message).ToHashSet();

        Assert.Equal(Contract.MessageNames.Order(), withExamples.Order());
    }

    [Fact]
    public void A_published_event_as_the_service_writes_it_is_accepted_on_its_exchange()
    {
        Assert.Null(Contract.CheckDelivery("SoraEvents.Contracts:VideoCompleted", "application/vnd.masstransit+json", Encoding.UTF8.GetBytes(Completed)));
    }

    [Theory]
    [InlineData("\"videoUrls\":[\"http://127.0.0.1:1/media/output.mp4\"]", "\"videoUrls\":\"http://127.0.0.1:1/media/output.mp4\"",
        "/message/videoUrls", "#/components/schemas/VideoCompleted/properties/videoUrls/type at instance '/message/videoUrls'")]
    [InlineData("\"archivedLocation\":null", "\"archivedLocation\":null,\"thumbnailUrl\":\"x\"",
        "thumbnailUrl", "#/components/schemas/VideoCompleted/additionalProperties at instance '/message/thumbnailUrl'")]
    [InlineData("\"provider\":\"pixazo\"", "\"provider\":\"sora\"", "/message/provider", "#/components/schemas/Provider/enum at instance '/message/provider'")]
    public void A_wrong_event_is_rejected_naming_the_schema_path_and_the_violation(string field, string wrongField, string instance, string schemaPath)
    {
        var wrong = Completed.Replace(field, wrongField);

        var violation = Contract.CheckDelivery("SoraEvents.Contracts:VideoCompleted", "application/vnd.masstransit+json", Encoding.UTF8.GetBytes(wrong));

        Assert.NotNull(violation);
        foreach (var named in new[] { "#/components/messages/VideoCompleted/payload", instance, schemaPath })
            Assert.True(violation.Contains(named, StringComparison.Ordinal), $"'{named}' is not named in:\n{violation}");
    }

    [Fact]
    public void A_message_on_an_exchange_the_document_does_not_describe_is_rejected()
    {
        var violation = Contract.CheckDelivery("SoraEvents.Contracts:VideoArchived", "application/vnd.masstransit+json", Encoding.UTF8.GetBytes(Completed));

        Assert.Equal("docs/asyncapi.yaml has no message for 'SoraEvents.Contracts:VideoArchived' with content type 'application/vnd.masstransit+json'.", violation);
    }

    [Theory]
    [InlineData("application/json", """{"jobId":"0b7d6a52-5c1f-4b8e-9f3a-7e2d4c6b8a10","prompt":"a fox","seconds":"8"}""")]
    [InlineData("application/vnd.masstransit+json", """{"messageType":["urn:message:SoraEvents.Contracts:GenerateVideo"],"message":{"jobId":"0b7d6a52-5c1f-4b8e-9f3a-7e2d4c6b8a10","prompt":"a fox"}}""")]
    public void The_command_queue_takes_the_bare_command_and_the_envelope(string contentType, string body)
    {
        Assert.Null(Contract.CheckDelivery("generate-video", contentType, Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void A_bare_command_whose_seconds_is_not_a_whole_number_is_rejected()
    {
        var violation = Contract.CheckDelivery("generate-video", "application/json",
            Encoding.UTF8.GetBytes("""{"jobId":"0b7d6a52-5c1f-4b8e-9f3a-7e2d4c6b8a10","prompt":"a fox","seconds":"eight"}"""));

        Assert.NotNull(violation);
        Assert.Contains("/seconds", violation);
    }

    [Fact]
    public void Parameterised_addresses_match_any_endpoint_name()
    {
        Assert.Equal(["VideoCompleted", "VideoFailed"], Contract.MessagesOn("outbound-webhook-orders", "application/vnd.masstransit+json"));
        Assert.Equal(["FaultedMessage"], Contract.MessagesOn("outbound-webhook-orders_error", null));
    }
}
