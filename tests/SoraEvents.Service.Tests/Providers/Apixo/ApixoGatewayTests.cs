using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Providers.Apixo;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Providers.Apixo;

public class ApixoGatewayTests
{
    private static readonly Uri Callback = new("http://127.0.0.1:5080/webhooks/apixo/00000000-0000-0000-0000-000000000001?token=abc");
    private static readonly GenerateVideo Command = new(Guid.NewGuid(), "a cinematic tracking shot", Size: "1280x720", Seconds: 10);

    private static ApixoGateway Gateway(StubHandler handler) => new(
        new HttpClient(handler) { BaseAddress = new Uri("https://api.apixo.test/") },
        new GatewayTransport(null!, TimeProvider.System, NullLogger<GatewayTransport>.Instance),
        // No rate limit here: the store-backed budget has its own tests.
        Options.Create(new ProvidersOptions { Apixo = new ApixoOptions { RequestsPerMinute = null } }),
        TimeProvider.System, NullLogger<ApixoGateway>.Instance);

    [Fact]
    public async Task Accepted_task_returns_its_id_from_the_envelope()
    {
        var handler = new StubHandler(HttpStatusCode.OK, Fixture.Read("Apixo", "generate-success"));
        var submission = await Gateway(handler).SubmitAsync(Command, Callback, CancellationToken.None);

        Assert.Equal("task_12345678", submission.ProviderRequestId);
        Assert.Equal("https://api.apixo.test/api/v1/generateTask/sora-2-pro", Assert.Single(handler.Requests).Request.RequestUri!.AbsoluteUri);
    }

    [Theory]
    [InlineData("error-insufficient-credits", VideoFailureCodes.InsufficientBalance)]
    [InlineData("error-policy-violation", VideoFailureCodes.ContentViolation)]
    public async Task Envelope_code_400_on_http_200_is_a_refusal(string fixture, string code)
    {
        var ex = await Assert.ThrowsAsync<GatewayRejectedException>(() =>
            Gateway(new StubHandler(HttpStatusCode.OK, Fixture.Read("Apixo", fixture))).SubmitAsync(Command, Callback, CancellationToken.None));
        Assert.Equal(code, ex.Code);
    }

    [Fact]
    public async Task Http_401_is_a_permanent_refusal()
    {
        var ex = await Assert.ThrowsAsync<GatewayRejectedException>(() => Gateway(new StubHandler(HttpStatusCode.Unauthorized,
            """{"code":401,"message":"Invalid or missing API Key","data":null}""")).SubmitAsync(Command, Callback, CancellationToken.None));
        Assert.Equal(VideoFailureCodes.ProviderRejected, ex.Code);
    }

    [Fact]
    public async Task Http_429_is_transient_with_its_retry_after()
    {
        var handler = new StubHandler(HttpStatusCode.TooManyRequests, """{"code":429,"message":"Rate limit exceeded","data":null}""",
            r => r.Headers.RetryAfter = new(TimeSpan.FromSeconds(3)));
        var ex = await Assert.ThrowsAsync<GatewayUnavailableException>(() => Gateway(handler).SubmitAsync(Command, Callback, CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task Server_errors_may_have_created_the_task_so_they_are_neither_retried_nor_failed(HttpStatusCode status) =>
        await Assert.ThrowsAsync<GatewayOutcomeUnknownException>(() =>
            Gateway(new StubHandler(status, "<html/>")).SubmitAsync(Command, Callback, CancellationToken.None));

    [Fact]
    public async Task Http_200_that_is_not_an_envelope_is_neither_retried_nor_failed() =>
        await Assert.ThrowsAsync<GatewayOutcomeUnknownException>(() =>
            Gateway(new StubHandler(HttpStatusCode.OK, "<html>ok</html>")).SubmitAsync(Command, Callback, CancellationToken.None));

    [Fact]
    public async Task Envelope_code_429_is_transient() =>
        await Assert.ThrowsAsync<GatewayUnavailableException>(() =>
            Gateway(new StubHandler(HttpStatusCode.OK, """{"code":429,"message":"Rate limit exceeded","data":null}""")).SubmitAsync(Command, Callback, CancellationToken.None));

    [Fact]
    public async Task Status_query_asks_by_task_id_and_reads_the_result()
    {
        var handler = new StubHandler(HttpStatusCode.OK, Fixture.Read("Apixo", "status-success"));
        var outcome = await Gateway(handler).GetStatusAsync(Command, "task_12345678", CancellationToken.None);

        Assert.IsType<GatewayOutcome.Succeeded>(outcome);
        Assert.Equal("https://api.apixo.test/api/v1/statusTask/sora-2-pro?taskId=task_12345678", Assert.Single(handler.Requests).Request.RequestUri!.AbsoluteUri);
    }
}
