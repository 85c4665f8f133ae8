using System.Text.Json;
using System.Text.Json.Nodes;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Providers.Pixazo;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Providers.Pixazo;

/// <summary>Every JSON example of the Pixazo document, read by the code that reads Pixazo.</summary>
public class PixazoDocumentExamplesTests
{
    [Fact]
    public void Every_example_in_the_document_is_a_fixture_here() =>
        Assert.Equal(12, Fixture.Names("Pixazo").Count());

    [Fact]
    public void Generate_response_gives_the_request_id()
    {
        var response = JsonSerializer.Deserialize<PixazoGenerateResponse>(Fixture.Read("Pixazo", "generate-response"), PixazoJson.Options)!;
        Assert.Equal("sora-video_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", response.RequestId);
        Assert.Equal("QUEUED", response.Status);
        Assert.EndsWith("/v2/requests/status/sora-video_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", response.PollingUrl);
    }

    [Fact]
    public void Completed_status_shape_succeeds_with_its_media_url()
    {
        var outcome = Assert.IsType<GatewayOutcome.Succeeded>(PixazoOutcomes.Read(Fixture.Read("Pixazo", "status-completed")));
        Assert.Equal("https://pub-582b7213209642b9b995c96c95a30381.r2.dev/v1/sora-video_019dxxxx-xxxx/output.ext", Assert.Single(outcome.VideoUrls));
        Assert.Equal("sora-video_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", outcome.ProviderRequestId);
    }

    [Fact]
    public void Error_status_shape_is_an_uncharged_failure()
    {
        var outcome = Assert.IsType<GatewayOutcome.FailedUncharged>(PixazoOutcomes.Read(Fixture.Read("Pixazo", "status-error")));
        Assert.Equal("Description of the error", outcome.Reason);
        Assert.Equal("sora-video_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", outcome.ProviderRequestId);
    }

    [Theory]
    [InlineData("result-response-short")]
    [InlineData("result-response-full")]
    public void Video_result_shapes_succeed_with_the_video_url(string fixture)
    {
        // The document elides its URL ("https://...XXX.mp4", not a URL at all); a real one takes its place.
        var body = Fixture.Read("Pixazo", fixture).Replace("https://...XXXXXXXXXXXXXXXXXXXXX.mp4", "https://cdn.pixazo.test/video_1.mp4", StringComparison.Ordinal);
        var outcome = Assert.IsType<GatewayOutcome.Succeeded>(PixazoOutcomes.Read(body));
        Assert.Equal("https://cdn.pixazo.test/video_1.mp4", Assert.Single(outcome.VideoUrls));
        Assert.Null(outcome.ProviderRequestId);
    }

    public static TheoryData<string?> NotVideoUrls => new() { null, "", "   ", "file:///etc/passwd", "/relative/output.mp4", "ftp://cdn.test/v.mp4", "https://...XXXXXXXXXXXXXXXXXXXXX.mp4" };

    [Theory]
    [MemberData(nameof(NotVideoUrls))]
    public void Completed_status_whose_media_url_is_not_an_absolute_http_url_is_unreadable(string? url)
    {
        var body = JsonNode.Parse(Fixture.Read("Pixazo", "status-completed"))!;
        body["output"]!["media_url"] = new JsonArray(url is null ? null : JsonValue.Create(url));
        Assert.IsType<GatewayOutcome.Unreadable>(PixazoOutcomes.Read(body.ToJsonString()));

        body["output"]!["media_url"] = new JsonArray("https://cdn.pixazo.test/ok.mp4", url is null ? null : JsonValue.Create(url));
        Assert.IsType<GatewayOutcome.Unreadable>(PixazoOutcomes.Read(body.ToJsonString()));
    }

    [Fact]
    public void Completed_status_with_a_null_or_empty_media_url_list_is_unreadable()
    {
        var body = JsonNode.Parse(Fixture.Read("Pixazo", "status-completed"))!;
        body["output"]!["media_url"] = null;
        Assert.IsType<GatewayOutcome.Unreadable>(PixazoOutcomes.Read(body.ToJsonString()));
        body["output"]!["media_url"] = new JsonArray();
        Assert.IsType<GatewayOutcome.Unreadable>(PixazoOutcomes.Read(body.ToJsonString()));
    }

    [Theory]
    [MemberData(nameof(NotVideoUrls))]
    public void Completed_video_result_whose_video_url_is_not_an_absolute_http_url_is_unreadable(string? url)
    {
        var body = JsonNode.Parse(Fixture.Read("Pixazo", "result-response-full"))!;
        body["video_url"] = url;
        Assert.IsType<GatewayOutcome.Unreadable>(PixazoOutcomes.Read(body.ToJsonString()));
    }

    [Theory]
    [InlineData("error-402-insufficient-balance", "Insufficient Balance", "Your wallet does not have enough balance.")]
    [InlineData("error-400-model-not-found", "Model not found", "Model 'sora-video' not found or is disabled")]
    public void Error_bodies_parse(string fixture, string error, string message)
    {
        var parsed = JsonSerializer.Deserialize<PixazoError>(Fixture.Read("Pixazo", fixture), PixazoJson.Options)!;
        Assert.Equal(error, parsed.Error);
        Assert.Equal(message, parsed.Message);
    }

    [Fact]
    public void Result_request_carries_the_video_id() =>
        Assert.StartsWith("video_", JsonDocument.Parse(Fixture.Read("Pixazo", "result-request")).RootElement.GetProperty("video_id").GetString());

    [Theory]
    [InlineData("""{"request_id":"r1","status":"QUEUED"}""", typeof(GatewayOutcome.Pending))]
    [InlineData("""{"request_id":"r1","status":"PROCESSING"}""", typeof(GatewayOutcome.Pending))]
    [InlineData("""{"request_id":"r1","status":"COMPLETED","output":null}""", typeof(GatewayOutcome.Unreadable))]
    [InlineData("""{"request_id":"r1","status":"SOMETHING"}""", typeof(GatewayOutcome.Unreadable))]
    [InlineData("""{"hello":"world"}""", typeof(GatewayOutcome.Unreadable))]
    [InlineData("""[1,2,3]""", typeof(GatewayOutcome.Unreadable))]
    [InlineData("""not json""", typeof(GatewayOutcome.Unreadable))]
    [InlineData("""{"request_id":42,"status":true}""", typeof(GatewayOutcome.Unreadable))]
    public void Other_bodies_are_pending_or_unreadable_never_an_exception(string body, Type expected) =>
        Assert.IsType(expected, PixazoOutcomes.Read(body));

    [Fact]
    public void Failed_status_with_a_policy_message_is_a_content_violation()
    {
        var outcome = Assert.IsType<GatewayOutcome.Failed>(PixazoOutcomes.Read(
            """{"request_id":"r1","status":"FAILED","error":"Prompt violates our content policy","output":null}"""));
        Assert.Equal(VideoFailureCodes.ContentViolation, outcome.Code);
    }
}
