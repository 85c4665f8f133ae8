using System.Text.Json;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers.Pixazo;

namespace SoraEvents.Service.Tests.Providers.Pixazo;

public class PixazoRequestMapperTests
{
    private static readonly Uri Callback = new("https://svc.example/webhooks/pixazo/1?token=t");

    [Fact]
    public void Text_command_goes_to_the_text_endpoint_with_snake_case_fields()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "A serene beach", Size: "1280x720", Seconds: 4);
        var (path, body) = PixazoRequestMapper.Map(command, "sora-2-pro", Callback);

        Assert.Equal("sora-video/v1/video/generate", path);
        var json = JsonDocument.Parse(JsonSerializer.Serialize(body, PixazoJson.Options)).RootElement;
        Assert.Equal("A serene beach", json.GetProperty("prompt").GetString());
        Assert.Equal("1280x720", json.GetProperty("size").GetString());
        Assert.Equal(4, json.GetProperty("seconds").GetInt32());
        Assert.Equal("sora-2-pro", json.GetProperty("model").GetString());
        Assert.Equal(Callback.AbsoluteUri, json.GetProperty("callback_url").GetString());
        Assert.False(json.TryGetProperty("image", out _), "a text request carries no image field");
    }

    [Fact]
    public void Image_command_goes_to_the_i2v_endpoint_with_the_image()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "The woman turns", Image: "https://example.com/image-1280x720.jpg");
        var (path, body) = PixazoRequestMapper.Map(command, "sora-2-pro", Callback);

        Assert.Equal("sora-video/v1/video/i2v/generate", path);
        Assert.Equal("https://example.com/image-1280x720.jpg", body.Image);
        Assert.Null(body.Size);
    }

    [Fact]
    public void Model_from_the_command_wins_over_the_configured_one()
    {
        var (_, body) = PixazoRequestMapper.Map(new GenerateVideo(Guid.NewGuid(), "x", Model: "sora-2"), "sora-2-pro", Callback);
        Assert.Equal("sora-2", body.Model);
    }

    [Theory]
    [InlineData("t2v-request")]
    [InlineData("t2v-request-example")]
    [InlineData("i2v-request")]
    [InlineData("i2v-request-example")]
    public void Documented_request_examples_round_trip_through_our_request_type(string fixture)
    {
        var original = JsonDocument.Parse(Support.Fixture.Read("Pixazo", fixture)).RootElement;
        var parsed = JsonSerializer.Deserialize<PixazoGenerateRequest>(original.GetRawText(), PixazoJson.Options)!;
        var written = JsonDocument.Parse(JsonSerializer.Serialize(parsed, PixazoJson.Options)).RootElement;

        foreach (var property in original.EnumerateObject())
            Assert.Equal(property.Value.ToString(), written.GetProperty(property.Name).ToString());
    }
}
