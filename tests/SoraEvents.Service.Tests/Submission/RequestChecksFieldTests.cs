using SoraEvents.Service.Submission;

namespace SoraEvents.Service.Tests.Submission;

/// <summary>A gateway's refusal is filed under the field that caused it (issue 13, item 5), never all under provider.</summary>
public sealed class RequestChecksFieldTests
{
    [Theory]
    [InlineData("pixazo: seconds 15 is not supported; use 4, 8 or 12.", "seconds")]
    [InlineData("apixo: seconds 10 is not supported on the official route, which always makes 12-second videos; use 12.", "seconds")]
    [InlineData("pixazo: the image is 800x600; it must be exactly 1280x720, 720x1280, 1792x1024, 1024x1792.", "image")]
    [InlineData("apixo: the image is 12.5 MB; at most 10 MB is allowed.", "image")]
    [InlineData("pixazo: size 720x1280 does not match the image's 1280x720; it must equal the image's dimensions.", "size")]
    [InlineData("provider 'runway' is not configured; use pixazo, apixo.", "provider")]
    public void Refusal_is_filed_under_its_field(string refusal, string field) => Assert.Equal(field, RequestChecks.FieldOf(refusal));
}
