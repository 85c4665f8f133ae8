using System.Text.Json.Nodes;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Providers.Apixo;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Providers.Apixo;

/// <summary>Every JSON example of the APIXO document, read by the code that reads APIXO.</summary>
public class ApixoDocumentExamplesTests
{
    [Fact]
    public void Every_example_in_the_document_is_a_fixture_here() => Assert.Equal(8, Fixture.Names("Apixo").Count());

    [Fact]
    public void Success_status_with_envelope_gives_result_urls_and_a_fifteen_day_expiry()
    {
        var outcome = Assert.IsType<GatewayOutcome.Succeeded>(ApixoOutcomes.Read(Fixture.Read("Apixo", "status-success")));
        Assert.Equal("https://r2.apixo.ai/video.mp4", Assert.Single(outcome.VideoUrls));
        Assert.Equal("task_12345678", outcome.ProviderRequestId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767965730929).AddDays(15), outcome.ExpiresAt);
    }

    [Fact]
    public void Success_task_without_envelope_reads_the_same()
    {
        var bare = System.Text.Json.JsonDocument.Parse(Fixture.Read("Apixo", "status-success")).RootElement.GetProperty("data").GetRawText();
        Assert.Equal("https://r2.apixo.ai/video.mp4", Assert.Single(Assert.IsType<GatewayOutcome.Succeeded>(ApixoOutcomes.Read(bare)).VideoUrls));
    }

    public static TheoryData<string?> NotVideoUrls => new() { null, "", "   ", "file:///etc/passwd", "/relative/video.mp4", "javascript:alert(1)" };

    [Theory]
    [MemberData(nameof(NotVideoUrls))]
    public void Success_whose_result_url_is_not_an_absolute_http_url_is_unreadable(string? url)
    {
        var body = JsonNode.Parse(Fixture.Read("Apixo", "status-success"))!;
        body["data"]!["resultJson"] = new JsonObject { ["resultUrls"] = new JsonArray(url is null ? null : JsonValue.Create(url)) }.ToJsonString();
        Assert.IsType<GatewayOutcome.Unreadable>(ApixoOutcomes.Read(body.ToJsonString()));

        // The bare task (a callback without the envelope) is read the same way.
        Assert.IsType<GatewayOutcome.Unreadable>(ApixoOutcomes.Read(body["data"]!.ToJsonString()));
    }

    [Theory]
    [InlineData("""{"resultUrls":null}""")]
    [InlineData("""{"resultUrls":[]}""")]
    [InlineData("""{"resultUrls":["https://r2.apixo.ai/ok.mp4","file:///etc/passwd"]}""")]
    public void Success_without_usable_result_urls_is_unreadable(string resultJson)
    {
        var body = JsonNode.Parse(Fixture.Read("Apixo", "status-success"))!;
        body["data"]!["resultJson"] = resultJson;
        Assert.IsType<GatewayOutcome.Unreadable>(ApixoOutcomes.Read(body.ToJsonString()));
    }

    [Fact]
    public void Failed_status_with_content_violation_is_a_content_violation()
    {
        var outcome = Assert.IsType<GatewayOutcome.Failed>(ApixoOutcomes.Read(Fixture.Read("Apixo", "status-failed")));
        Assert.Equal((VideoFailureCodes.ContentViolation, "Content does not meet safety guidelines"), (outcome.Code, outcome.Reason));
    }

    [Fact]
    public void Invalid_image_url_fail_code_is_an_invalid_image() =>
        Assert.Equal(VideoFailureCodes.InvalidImage, Assert.IsType<GatewayOutcome.Failed>(ApixoOutcomes.Read(
            """{"taskId":"t","state":"failed","failCode":"INVALID_IMAGE_URL","failMsg":"Cannot access provided image URL"}""")).Code);

    [Theory]
    [InlineData("""{"taskId":"t","state":"pending"}""", typeof(GatewayOutcome.Pending))]
    [InlineData("""{"code":200,"message":"success","data":{"taskId":"t","state":"processing"}}""", typeof(GatewayOutcome.Pending))]
    [InlineData("""{"taskId":"t","state":"success","resultJson":"not json"}""", typeof(GatewayOutcome.Unreadable))]
    [InlineData("""{"taskId":"t","state":"success"}""", typeof(GatewayOutcome.Unreadable))]
    [InlineData("""{"code":500,"message":"boom","data":null}""", typeof(GatewayOutcome.Unreadable))]
    [InlineData("""{"taskId":"t"}""", typeof(GatewayOutcome.Unreadable))]
    [InlineData("""["x"]""", typeof(GatewayOutcome.Unreadable))]
    public void Other_bodies_are_pending_or_unreadable_never_an_exception(string body, Type expected) =>
        Assert.IsType(expected, ApixoOutcomes.Read(body));
}
