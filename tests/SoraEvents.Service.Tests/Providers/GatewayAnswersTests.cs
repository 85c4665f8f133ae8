using System.Net.Sockets;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers;

namespace SoraEvents.Service.Tests.Providers;

/// <summary>The one classifier both gateways use: only answers that certainly created nothing may be retried or failed over.</summary>
public class GatewayAnswersTests
{
    [Theory]
    [InlineData(429, null)]
    [InlineData(429, 3)]
    [InlineData(503, 3)]
    public void Answers_that_certainly_created_nothing_may_be_retried(int status, int? retryAfterSeconds)
    {
        var retryAfter = retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
        var ex = Assert.IsType<GatewayUnavailableException>(GatewayAnswers.ForRefusal("pixazo", status, "busy", retryAfter));
        Assert.Equal(retryAfter, ex.RetryAfter);
    }

    [Theory]
    [InlineData(402, "Your wallet does not have enough balance.", VideoFailureCodes.InsufficientBalance)]
    [InlineData(400, "Insufficient credits", VideoFailureCodes.InsufficientBalance)]
    [InlineData(400, "Content violates provider policy", VideoFailureCodes.ContentViolation)]
    [InlineData(400, "Model not found", VideoFailureCodes.ProviderRejected)]
    [InlineData(401, "Invalid or missing API Key", VideoFailureCodes.ProviderRejected)]
    [InlineData(403, "Forbidden", VideoFailureCodes.ProviderRejected)]
    [InlineData(404, "Not found", VideoFailureCodes.ProviderRejected)]
    public void Refusals_that_created_nothing_end_or_fail_over_with_their_code(int status, string text, string code)
    {
        var ex = Assert.IsType<GatewayRejectedException>(GatewayAnswers.ForRefusal("apixo", status, text, null));
        Assert.Equal((code, status), (ex.Code, ex.HttpStatus));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(408)]
    [InlineData(503)]
    [InlineData(599)]
    [InlineData(200)]
    public void Answers_that_may_come_after_the_task_was_created_leave_it_unknown(int status) =>
        Assert.IsType<GatewayOutcomeUnknownException>(GatewayAnswers.ForRefusal("pixazo", status, "Gateway Timeout", null));

    [Fact]
    public void A_refused_connection_created_nothing_but_a_timeout_or_a_lost_connection_may_have()
    {
        var refused = new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused));
        var reset = new HttpRequestException("reset", new SocketException((int)SocketError.ConnectionReset));

        Assert.IsType<GatewayUnavailableException>(GatewayAnswers.ForSendFailure("apixo", refused));
        Assert.IsType<GatewayOutcomeUnknownException>(GatewayAnswers.ForSendFailure("apixo", reset));
        Assert.IsType<GatewayOutcomeUnknownException>(GatewayAnswers.ForSendFailure("apixo", new TaskCanceledException("timeout")));
    }
}
