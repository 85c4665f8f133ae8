using SoraEvents.Service.Logging;

namespace SoraEvents.Service.Tests.Logging;

public sealed class SecretRedactorTests
{
    private const string Token = "q2dLwM7p-Xz_9aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2";

    private readonly SecretRedactor redactor = new(["configured-api-key-123"]);

    [Theory]
    [InlineData("POST /webhooks/pixazo/3f2b?token={0} 200")]
    [InlineData("POST /webhooks/pixazo/3f2b?token%3D{0} 401")]
    [InlineData("POST /webhooks/pixazo/3f2b?token%3d{0}%26next%3D1")]
    [InlineData("callback=https%3A%2F%2Fsvc%2Fwebhooks%2Fpixazo%2F3f2b%3Ftoken%3D{0}&x=1")]
    [InlineData("callback=https%253A%252F%252Fsvc%252Fwebhooks%253Ftoken%253D{0}")]
    [InlineData("\"url\":\"http://svc/webhooks/apixo/3f2b?a=1&TOKEN={0}\"")]
    public void Callback_token_is_masked_plain_or_percent_encoded(string template)
    {
        var redacted = redactor.Redact(string.Format(template, Token));

        Assert.DoesNotContain(Token, redacted);
        Assert.DoesNotContain(Token[..12], redacted);
        Assert.Contains("***", redacted);
    }

    [Fact]
    public void What_follows_an_encoded_token_is_kept()
    {
        Assert.Equal("?token%3D***%26next%3D1", redactor.Redact($"?token%3D{Token}%26next%3D1"));
        Assert.Equal("a tokenizer=on stays", redactor.Redact("a tokenizer=on stays"));
    }
}
