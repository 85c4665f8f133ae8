using System.Text;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Webhooks;

public class CallbackTokensTests
{
    private readonly CallbackTokens tokens = new(Encoding.UTF8.GetBytes("a-signing-key-of-at-least-32-characters"));

    [Fact]
    public void Token_made_for_a_job_verifies_for_that_job()
    {
        var jobId = Guid.NewGuid();
        Assert.True(tokens.Verify("pixazo", jobId, tokens.Create("pixazo", jobId)));
    }

    [Fact]
    public void Token_is_url_safe_and_unguessably_long()
    {
        var token = tokens.Create("pixazo", Guid.NewGuid());
        Assert.Equal(43, token.Length);
        Assert.DoesNotContain(token, c => c is '+' or '/' or '=');
    }

    [Fact]
    public void Token_of_another_job_is_rejected() =>
        Assert.False(tokens.Verify("pixazo", Guid.NewGuid(), tokens.Create("pixazo", Guid.NewGuid())));

    [Fact]
    public void Token_under_another_key_is_rejected()
    {
        var jobId = Guid.NewGuid();
        var other = new CallbackTokens(Encoding.UTF8.GetBytes("another-signing-key-of-32-characters!!"));
        Assert.False(tokens.Verify("pixazo", jobId, other.Create("pixazo", jobId)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("AAAA")]
    public void Missing_or_malformed_token_is_rejected(string? token) =>
        Assert.False(tokens.Verify("pixazo", Guid.NewGuid(), token));

    [Fact]
    public void Truncated_token_is_rejected()
    {
        var jobId = Guid.NewGuid();
        Assert.False(tokens.Verify("pixazo", jobId, tokens.Create("pixazo", jobId)[..40]));
    }

    [Fact]
    public void Overlong_input_is_rejected_without_error() =>
        Assert.False(tokens.Verify("pixazo", Guid.NewGuid(), new string('A', 10_000)));

    [Fact]
    public void Token_made_for_one_provider_is_rejected_on_another()
    {
        var jobId = Guid.NewGuid();
        Assert.False(tokens.Verify("apixo", jobId, tokens.Create("pixazo", jobId)));
    }
}
