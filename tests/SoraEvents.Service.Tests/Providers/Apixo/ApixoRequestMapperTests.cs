using System.Text.Json;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers.Apixo;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Providers.Apixo;

public class ApixoRequestMapperTests
{
    private static readonly Uri Callback = new("https://svc.example/webhooks/apixo/1?token=t");

    private static JsonElement Json(ApixoGenerateRequest request) =>
        JsonDocument.Parse(JsonSerializer.Serialize(request, ApixoJson.Options)).RootElement;

    [Fact]
    public void Text_command_becomes_a_callback_task_with_an_asterisk_size()
    {
        var json = Json(ApixoRequestMapper.Map(new GenerateVideo(Guid.NewGuid(), "a city", Size: "1280x720", Seconds: 10), new ApixoOptions(), Callback));

        Assert.Equal("callback", json.GetProperty("request_type").GetString());
        Assert.Equal(Callback.AbsoluteUri, json.GetProperty("callback_url").GetString());
        Assert.Equal("auto", json.GetProperty("provider").GetString());
        var input = json.GetProperty("input");
        Assert.Equal(("text-to-video", "a city", 10, "1280*720"),
            (input.GetProperty("mode").GetString(), input.GetProperty("prompt").GetString(), input.GetProperty("duration").GetInt32(), input.GetProperty("size").GetString()));
        Assert.False(input.TryGetProperty("image_urls", out _));
    }

    [Fact]
    public void Image_command_sends_image_urls_and_resolution_but_no_size()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "alive", Image: "https://example.com/reference_image.jpg", Size: "1280x720", Seconds: 15, Resolution: "1080p");
        var input = Json(ApixoRequestMapper.Map(command, new ApixoOptions(), Callback)).GetProperty("input");

        Assert.Equal("image-to-video", input.GetProperty("mode").GetString());
        Assert.Equal("https://example.com/reference_image.jpg", input.GetProperty("image_urls")[0].GetString());
        Assert.Equal("1080p", input.GetProperty("resolution").GetString());
        Assert.False(input.TryGetProperty("size", out _));
    }

    [Fact]
    public void Official_route_is_sent_and_twelve_seconds_travels_as_an_accepted_duration()
    {
        var request = ApixoRequestMapper.Map(new GenerateVideo(Guid.NewGuid(), "x", Seconds: 12), new ApixoOptions { Route = "official" }, Callback);
        Assert.Equal(("official", 10), (request.Provider, request.Input.Duration));
    }

    [Theory]
    [InlineData("t2v-request")]
    [InlineData("i2v-request")]
    [InlineData("request-body")]
    public void Documented_request_bodies_round_trip_through_our_request_type(string fixture)
    {
        var original = JsonDocument.Parse(Fixture.Read("Apixo", fixture)).RootElement;
        var parsed = JsonSerializer.Deserialize<ApixoGenerateRequest>(original.GetRawText())!;
        var written = JsonDocument.Parse(JsonSerializer.Serialize(parsed, ApixoJson.Options)).RootElement;

        // Compared as compact JSON, so the document's indentation does not matter but every value does.
        foreach (var property in original.EnumerateObject())
            Assert.Equal(JsonSerializer.Serialize(property.Value), JsonSerializer.Serialize(written.GetProperty(property.Name)));
    }
}
