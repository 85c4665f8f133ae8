using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Providers.Pixazo;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Providers.Pixazo;

public class PixazoGatewayTests
{
    private static readonly Uri Callback = new("http://127.0.0.1:5080/webhooks/pixazo/00000000-0000-0000-0000-000000000001?token=abc");
    private static readonly GenerateVideo Command = new(Guid.NewGuid(), "A serene beach", Size: "1280x720", Seconds: 4);

    private static PixazoGateway Gateway(StubHandler handler) => new(
        new HttpClient(handler) { BaseAddress = new Uri("https://gateway.pixazo.test/") },
        new GatewayTransport(null!, TimeProvider.System, NullLogger<GatewayTransport>.Instance), // Pixazo has no rate limit configured, so the store is never asked
        Options.Create(new ProvidersOptions()), TimeProvider.System, NullLogger<PixazoGateway>.Instance);

    [Fact]
    public async Task Accepted_submission_returns_the_request_id_and_sends_the_webhook_header()
    {
        var handler = new StubHandler(HttpStatusCode.Accepted, Fixture.Read("Pixazo", "generate-response"));
        var submission = await Gateway(handler).SubmitAsync(Command, Callback, CancellationToken.None);

        Assert.Equal("sora-video_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", submission.ProviderRequestId);
        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal("https://gateway.pixazo.test/sora-video/v1/video/generate", request.RequestUri!.AbsoluteUri);
        Assert.Equal(Callback.AbsoluteUri, Assert.Single(request.Headers.GetValues("X-Webhook-URL")));
        Assert.Contains("\"callback_url\"", body);
    }

    [Theory]
    [InlineData(HttpStatusCode.PaymentRequired, "error-402-insufficient-balance", VideoFailureCodes.InsufficientBalance)]
    [InlineData(HttpStatusCode.BadRequest, "error-400-model-not-found", VideoFailureCodes.ProviderRejected)]
    public async Task Documented_refusals_map_to_failure_codes(HttpStatusCode status, string fixture, string code)
    {
        var ex = await Assert.ThrowsAsync<GatewayRejectedException>(() =>
            Gateway(new StubHandler(status, Fixture.Read("Pixazo", fixture))).SubmitAsync(Command, Callback, CancellationToken.None));
        Assert.Equal(code, ex.Code);
        Assert.Equal((int)status, ex.HttpStatus);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task Authentication_refusals_are_permanent(HttpStatusCode status)
    {
        var ex = await Assert.ThrowsAsync<GatewayRejectedException>(() =>
            Gateway(new StubHandler(status, """{"error":"Unauthorized","message":"bad key"}""")).SubmitAsync(Command, Callback, CancellationToken.None));
        Assert.Equal(VideoFailureCodes.ProviderRejected, ex.Code);
    }

    [Fact]
    public async Task Bad_image_dimensions_are_an_invalid_image()
    {
        var ex = await Assert.ThrowsAsync<GatewayRejectedException>(() => Gateway(new StubHandler(HttpStatusCode.BadRequest,
            """{"error":"Bad Request","message":"Image dimensions 800x600 are not supported"}""")).SubmitAsync(Command, Callback, CancellationToken.None));
        Assert.Equal(VideoFailureCodes.InvalidImage, ex.Code);
    }

    [Fact]
    public async Task Too_many_requests_is_transient_and_carries_retry_after()
    {
        var handler = new StubHandler(HttpStatusCode.TooManyRequests, "{}", r => r.Headers.RetryAfter = new(TimeSpan.FromSeconds(7)));
        var ex = await Assert.ThrowsAsync<GatewayUnavailableException>(() => Gateway(handler).SubmitAsync(Command, Callback, CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
    }

    [Fact]
    public async Task Service_unavailable_with_retry_after_is_transient()
    {
        var handler = new StubHandler(HttpStatusCode.ServiceUnavailable, "{}", r => r.Headers.RetryAfter = new(TimeSpan.FromSeconds(4)));
        var ex = await Assert.ThrowsAsync<GatewayUnavailableException>(() => Gateway(handler).SubmitAsync(Command, Callback, CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(4), ex.RetryAfter);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.ServiceUnavailable)] // without Retry-After
    public async Task Server_errors_may_have_created_the_task_so_they_are_neither_retried_nor_failed(HttpStatusCode status) =>
        await Assert.ThrowsAsync<GatewayOutcomeUnknownException>(() =>
            Gateway(new StubHandler(status, "<html>oops</html>")).SubmitAsync(Command, Callback, CancellationToken.None));

    [Fact]
    public async Task Acceptance_without_request_id_is_neither_retried_nor_failed()
    {
        var ex = await Assert.ThrowsAsync<GatewayOutcomeUnknownException>(() =>
            Gateway(new StubHandler(HttpStatusCode.Accepted, """{"status":"QUEUED"}""")).SubmitAsync(Command, Callback, CancellationToken.None));
        Assert.Contains("request_id", ex.Message);
    }

    [Fact]
    public async Task Acceptance_that_is_not_json_is_neither_retried_nor_failed() =>
        await Assert.ThrowsAsync<GatewayOutcomeUnknownException>(() =>
            Gateway(new StubHandler(HttpStatusCode.OK, "<html>accepted</html>")).SubmitAsync(Command, Callback, CancellationToken.None));

    [Fact]
    public async Task Status_query_reads_the_universal_status_shape()
    {
        var handler = new StubHandler(HttpStatusCode.OK, Fixture.Read("Pixazo", "status-completed"));
        var outcome = await Gateway(handler).GetStatusAsync(Command, "sora-video_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", CancellationToken.None);

        Assert.IsType<GatewayOutcome.Succeeded>(outcome);
        Assert.Equal("https://gateway.pixazo.test/v2/requests/status/sora-video_019dxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
            Assert.Single(handler.Requests).Request.RequestUri!.AbsoluteUri);
    }
}
