using SoraEvents.Contracts;
using SoraEvents.Service.Submission;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Submission;

public class GenerateVideoValidatorTests
{
    private readonly GenerateVideoValidator validator = new();

    private static GenerateVideo Valid() => new(Guid.NewGuid(), "A serene beach at sunset");

    [Fact]
    public void Minimal_text_command_is_valid() => Assert.True(validator.Validate(Valid()).IsValid);

    [Theory]
    [InlineData("1280x720")]
    [InlineData("720x1280")]
    [InlineData("1792x1024")]
    [InlineData("1024x1792")]
    public void Every_documented_size_is_accepted(string size) =>
        Assert.True(validator.Validate(Valid() with { Size = size }).IsValid);

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(12)]
    [InlineData(15)]
    public void Every_duration_some_gateway_makes_passes_the_general_rules(int seconds) =>
        Assert.True(validator.Validate(Valid() with { Seconds = seconds }).IsValid);

    [Fact]
    public void Unsupported_size_names_the_allowed_values()
    {
        var result = validator.Validate(Valid() with { Size = "1280*720" });
        var error = Assert.Single(result.Errors);
        Assert.Equal("size", error.PropertyName);
        Assert.Contains("1280x720, 720x1280, 1792x1024, 1024x1792", error.ErrorMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    [InlineData(61)]
    public void Duration_no_video_can_have_is_refused_naming_each_gateways_values(int seconds) =>
        Assert.Contains("pixazo: 4, 8, 12; apixo: 10, 15", Assert.Single(validator.Validate(Valid() with { Seconds = seconds }).Errors).ErrorMessage);

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var command = new GenerateVideo(Guid.Empty, "", Image: "ftp://x/y.png", Size: "1x1", Seconds: 0,
            Resolution: "4k", Provider: "acme", Model: "bad model!");
        var fields = validator.Validate(command).Errors.Select(e => e.PropertyName).ToHashSet();
        Assert.Equal(["image", "jobId", "model", "prompt", "provider", "resolution", "seconds", "size"], fields.Order());
    }

    [Fact]
    public void Prompt_longer_than_the_bound_is_refused()
    {
        var result = validator.Validate(Valid() with { Prompt = new string('a', GenerateVideoValidator.MaxPromptLength + 1) });
        Assert.Contains("at most 4000", Assert.Single(result.Errors).ErrorMessage);
    }

    [Theory]
    [InlineData("https://example.com/image-1280x720.jpg")]
    [InlineData("http://example.com/a.png")]
    public void Image_as_url_is_accepted(string image) =>
        Assert.True(validator.Validate(Valid() with { Image = image }).IsValid);

    [Fact]
    public void Image_as_data_uri_of_a_readable_image_is_accepted() =>
        Assert.True(validator.Validate(Valid() with { Image = TestImages.PngDataUri(1280, 720) }).IsValid);

    [Fact]
    public void Data_uri_whose_bytes_are_no_image_is_refused()
    {
        var error = Assert.Single(validator.Validate(Valid() with { Image = "data:image/png;base64,aGVsbG8gd29ybGQ=" }).Errors);
        Assert.Equal(("image", "image is not a readable PNG, JPEG or WebP image."), (error.PropertyName, error.ErrorMessage));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("file:///etc/passwd")]
    [InlineData("data:text/plain;base64,aGVsbG8=")]
    [InlineData("data:image/png;base64,***")]
    [InlineData("data:image/png,rawbytes")]
    public void Image_that_is_neither_url_nor_base64_image_is_refused(string image) =>
        Assert.Equal("image", Assert.Single(validator.Validate(Valid() with { Image = image }).Errors).PropertyName);

    [Fact]
    public void Too_much_metadata_is_refused()
    {
        var metadata = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v");
        Assert.Equal("metadata", Assert.Single(validator.Validate(Valid() with { Metadata = metadata }).Errors).PropertyName);
    }
}
