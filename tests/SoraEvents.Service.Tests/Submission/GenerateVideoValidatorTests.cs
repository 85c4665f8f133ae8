using SoraEvents.Contracts;
using SoraEvents.Service.Submission;

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
    [InlineData(12)]
    public void Every_documented_duration_is_accepted(int seconds) =>
        Assert.True(validator.Validate(Valid() with { Seconds = seconds }).IsValid);

    [Fact]
    public void Unsupported_size_names_the_allowed_values()
    {
        var result = validator.Validate(Valid() with { Size = "1280*720" });
        var error = Assert.Single(result.Errors);
        Assert.Equal("size", error.PropertyName);
        Assert.Contains("1280x720, 720x1280, 1792x1024, 1024x1792", error.ErrorMessage);
    }

    [Fact]
    public void Unsupported_duration_is_refused() =>
        Assert.Contains("4, 8, 12", Assert.Single(validator.Validate(Valid() with { Seconds = 15 }).Errors).ErrorMessage);

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var command = new GenerateVideo(Guid.Empty, "", Image: "ftp://x/y.png", Size: "1x1", Seconds: 5,
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
    [InlineData("data:image/png;base64,iVBORw0KGgo=")]
    [InlineData("data:image/jpeg;base64,/9j/4AAQ")]
    public void Image_as_url_or_data_uri_is_accepted(string image) =>
        Assert.True(validator.Validate(Valid() with { Image = image }).IsValid);

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
