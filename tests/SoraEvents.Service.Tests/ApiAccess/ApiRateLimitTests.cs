using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SoraEvents.Service.Tests.ApiAccess;

public sealed class ApiRateLimitTests : IAsyncLifetime
{
    private readonly ServiceFactory factory = new();
    private HttpClient client = null!;

    public Task InitializeAsync()
    {
        factory.Settings["Api:Keys:alice"] = ApiKeyAuthenticationTests.AliceKey;
        factory.Settings["Api:Keys:bob"] = ApiKeyAuthenticationTests.BobKey;
        factory.Settings["Api:RequestsPerMinute"] = "2";
        client = factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task The_request_beyond_the_per_minute_limit_gets_429_with_retry_after_and_other_callers_keep_their_own_limit()
    {
        // Within one window whatever the machine's speed: the limit counts requests, the test never waits for time to pass.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(ApiKeyAuthenticationTests.AliceKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(ApiKeyAuthenticationTests.AliceKey)).StatusCode);

        var refused = await GetAsync(ApiKeyAuthenticationTests.AliceKey);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(ApiKeyAuthenticationTests.BobKey)).StatusCode);
    }

    private Task<HttpResponseMessage> GetAsync(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/videos");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client.SendAsync(request);
    }
}
