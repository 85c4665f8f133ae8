using System.Net;
using System.Text;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Service.Tests.Support;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Webhooks;

public sealed class WebhookEndpointTests : IAsyncLifetime
{
    private readonly HarnessFactory factory = new(withApixo: true);
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        client = factory.CreateClient();
        await factory.Harness.Start();
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private string Token(Guid jobId, string provider = "pixazo") => factory.Services.GetRequiredService<CallbackTokens>().Create(provider, jobId);

    private Task<HttpResponseMessage> PostAsync(string url, string body) =>
        client.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Valid_callback_is_acknowledged_after_it_is_published()
    {
        var jobId = Guid.NewGuid();
        var response = await PostAsync($"/webhooks/pixazo/{jobId}?token={Token(jobId)}", Fixture.Read("Pixazo", "status-completed"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await factory.Harness.Published.Any<CallbackReceived>(m => m.Context.Message.JobId == jobId));
        var published = factory.Harness.Published.Select<CallbackReceived>().Single().Context.Message;
        Assert.Equal(("pixazo", Fixture.Read("Pixazo", "status-completed")), (published.Provider, published.Body));
    }

    [Fact]
    public async Task Callback_with_wrong_token_is_rejected()
    {
        var jobId = Guid.NewGuid();
        var response = await PostAsync($"/webhooks/pixazo/{jobId}?token={Token(Guid.NewGuid())}", "{}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(await factory.Harness.Published.Any<CallbackReceived>());
    }

    [Fact]
    public async Task Callback_without_token_is_rejected()
    {
        var response = await PostAsync($"/webhooks/pixazo/{Guid.NewGuid()}", "{}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Callback_over_the_size_limit_is_rejected_with_413()
    {
        var jobId = Guid.NewGuid();
        var big = $$"""{"request_id":"{{new string('x', 70_000)}}"}""";
        var response = await PostAsync($"/webhooks/pixazo/{jobId}?token={Token(jobId)}", big);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.False(await factory.Harness.Published.Any<CallbackReceived>());
    }

    [Fact]
    public async Task Chunked_callback_over_the_size_limit_is_rejected_with_413()
    {
        var jobId = Guid.NewGuid();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(new string(' ', 70_000) + "{}")));
        content.Headers.ContentLength = null; // no length announced: the limit must hold while reading
        var response = await client.PostAsync($"/webhooks/pixazo/{jobId}?token={Token(jobId)}", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"status\":")]
    [InlineData("")]
    public async Task Callback_that_is_not_json_is_rejected_with_400(string body)
    {
        var jobId = Guid.NewGuid();
        var response = await PostAsync($"/webhooks/pixazo/{jobId}?token={Token(jobId)}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await factory.Harness.Published.Any<CallbackReceived>());
    }

    [Fact]
    public async Task Callback_with_a_utf8_byte_order_mark_is_accepted_and_stored_without_it()
    {
        var jobId = Guid.NewGuid();
        var json = Fixture.Read("Pixazo", "status-completed");
        var content = new ByteArrayContent([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(json)]);
        content.Headers.ContentType = new("application/json");
        var response = await client.PostAsync($"/webhooks/pixazo/{jobId}?token={Token(jobId)}", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await factory.Harness.Published.Any<CallbackReceived>(m => m.Context.Message.JobId == jobId));
        Assert.Equal(json, factory.Harness.Published.Select<CallbackReceived>().Single().Context.Message.Body);
    }

    [Fact]
    public async Task Callback_for_an_unknown_provider_is_404()
    {
        var jobId = Guid.NewGuid();
        var response = await PostAsync($"/webhooks/acme/{jobId}?token={Token(jobId)}", "{}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Callback_posted_to_another_providers_webhook_is_rejected()
    {
        var jobId = Guid.NewGuid();
        var response = await PostAsync($"/webhooks/apixo/{jobId}?token={Token(jobId, "pixazo")}", Fixture.Read("Apixo", "status-success"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(await factory.Harness.Published.Any<CallbackReceived>());
    }
}
