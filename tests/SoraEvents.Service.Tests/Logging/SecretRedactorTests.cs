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

public sealed class SecretRedactorExceptionTests
{
    private const string Token = "q2dLwM7p-Xz_9aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2";
    private const string Key = "configured-api-key-123";

    private sealed class Capture : Serilog.Core.ILogEventSink
    {
        public List<Serilog.Events.LogEvent> Events { get; } = [];

        public void Emit(Serilog.Events.LogEvent logEvent) => Events.Add(logEvent);
    }

    private static Exception Thrown()
    {
        try
        {
            try
            {
                throw new HttpRequestException($"POST http://svc/webhooks/pixazo/3f2b?token={Token} failed");
            }
            catch (Exception inner)
            {
                throw new InvalidOperationException($"gateway refused key {Key}", inner);
            }
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    [Fact]
    public void Exception_message_stack_trace_and_inner_exception_reach_the_log_with_token_and_key_masked()
    {
        var redactor = new SecretRedactor([Key]);
        var capture = new Capture();
        using var logger = new Serilog.LoggerConfiguration().Enrich.With(redactor)
            .WriteTo.Sink(LoggingSetup.Guard(capture, redactor)).CreateLogger();

        logger.Error(Thrown(), "Gateway call failed");

        var logged = Assert.Single(capture.Events).Exception!;
        var text = logged.ToString();
        Assert.DoesNotContain(Token, text);
        Assert.DoesNotContain(Key, text);
        Assert.DoesNotContain(Key, logged.Message);
        Assert.Contains("***", logged.Message);
        Assert.Contains("System.InvalidOperationException", text);
        Assert.Contains("System.Net.Http.HttpRequestException", text);
        Assert.Contains(nameof(Thrown), text); // the stack trace is kept, only the secrets go
    }

    [Fact]
    public void An_exception_without_secrets_is_logged_as_it_was()
    {
        var redactor = new SecretRedactor([Key]);
        var capture = new Capture();
        using var logger = new Serilog.LoggerConfiguration().WriteTo.Sink(LoggingSetup.Guard(capture, redactor)).CreateLogger();
        var plain = new InvalidOperationException("nothing secret here");

        logger.Error(plain, "Failed");

        Assert.Same(plain, Assert.Single(capture.Events).Exception);
    }
}
