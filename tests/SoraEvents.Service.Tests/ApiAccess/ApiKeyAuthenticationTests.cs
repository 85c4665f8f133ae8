using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Service.ApiAccess;

namespace SoraEvents.Service.Tests.ApiAccess;

/// <summary>The in-process service with two callers' keys and an admin key.</summary>
public sealed class ApiKeyAuthenticationTests : IAsyncLifetime
{
    internal const string AliceKey = "sk_alice_0123456789abcdef";
    internal const string BobKey = "sk_bob_fedcba9876543210xyz";
    internal const string OperatorKey = "sk_admin_operator_5a5a5a5a5a";

    private readonly ServiceFactory factory = new();
    private HttpClient client = null!;

    public Task InitializeAsync()
    {
        factory.Settings["Api:Keys:alice"] = AliceKey;
        factory.Settings["Api:Keys:bob"] = BobKey;
        factory.Settings["Api:AdminKeys:operator"] = OperatorKey;
        factory.TestServices = services => services.AddSingleton<IStartupFilter, WhoAmIProbe>();
        client = factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task A_request_without_a_key_gets_401_in_openais_error_shape_with_a_bearer_challenge()
    {
        var response = await client.GetAsync("/v1/videos");

        var error = await AssertInvalidApiKeyAsync(response);
        Assert.Contains("didn't provide an API key", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("Bearer sk_alice_0123456789abcdeX")] // the last character differs
    [InlineData("Bearer sk_alice_0123456789abcde")] // a prefix of a key
    [InlineData("Bearer sk_alice_0123456789abcdef0")] // a key and one more
    [InlineData("Basic YWxpY2U6c2VjcmV0")]
    public async Task A_wrong_key_gets_401_and_creates_nothing(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/videos") { Content = JsonContent.Create(new { prompt = "a paid call" }) };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await client.SendAsync(request);

        var error = await AssertInvalidApiKeyAsync(response);
        Assert.Contains("Incorrect API key", error.GetProperty("message").GetString());
        Assert.Empty(await ListAsync(OperatorKey));
    }

    [Fact]
    public async Task A_callers_key_is_accepted_and_names_that_caller_without_the_admin_role()
    {
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/v1/videos", AliceKey)).StatusCode);

        var alice = await WhoAmIAsync(AliceKey);
        var bob = await WhoAmIAsync(BobKey);
        Assert.Equal(("alice", false), (alice.GetProperty("name").GetString(), alice.GetProperty("admin").GetBoolean()));
        Assert.Equal(("bob", false), (bob.GetProperty("name").GetString(), bob.GetProperty("admin").GetBoolean()));
    }

    [Fact]
    public async Task Another_callers_key_names_the_other_caller_who_may_not_see_the_job()
    {
        var created = await Send(HttpMethod.Post, "/v1/videos", AliceKey, new { prompt = "alice's harbour" });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var alicesJob = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/v1/videos/{alicesJob}", BobKey)).StatusCode);
        Assert.DoesNotContain(await ListAsync(BobKey), v => v.GetProperty("id").GetGuid() == alicesJob);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, $"/v1/videos/{alicesJob}", AliceKey)).StatusCode);

        var bob = await WhoAmIAsync(BobKey);
        Assert.False(bob.GetProperty("maySeeAlicesJob").GetBoolean());
        Assert.True((await WhoAmIAsync(AliceKey)).GetProperty("maySeeAlicesJob").GetBoolean());
    }

    [Fact]
    public async Task An_admin_key_has_the_admin_role_and_sees_every_job()
    {
        var created = await Send(HttpMethod.Post, "/v1/videos", AliceKey, new { prompt = "a quiet harbour" });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var jobId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var admin = await WhoAmIAsync(OperatorKey);
        Assert.Equal("operator", admin.GetProperty("name").GetString());
        Assert.True(admin.GetProperty("admin").GetBoolean());
        Assert.True(admin.GetProperty("maySeeAlicesJob").GetBoolean());
        Assert.True(admin.GetProperty("maySeeBusJob").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, $"/v1/videos/{jobId}", OperatorKey)).StatusCode);
        Assert.Contains(await ListAsync(OperatorKey), v => v.GetProperty("id").GetGuid() == jobId);
    }

    [Fact]
    public async Task Health_and_webhooks_need_no_api_key()
    {
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        // The webhook answers with its own per-job token check, not with the API's Bearer challenge.
        var callback = await client.PostAsync($"/webhooks/pixazo/{Guid.NewGuid()}?token=wrong", JsonContent.Create(new { }));
        Assert.NotEqual(HttpStatusCode.OK, callback.StatusCode);
        Assert.Empty(callback.Headers.WwwAuthenticate);
    }

    /// <returns>The OpenAI error member.</returns>
    internal static async Task<JsonElement> AssertInvalidApiKeyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, body.GetProperty("status").GetInt32());
        var error = body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        return error;
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string key, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client.SendAsync(request);
    }

    private async Task<List<JsonElement>> ListAsync(string key)
    {
        var response = await Send(HttpMethod.Get, "/v1/videos", key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").EnumerateArray().ToList();
    }

    private async Task<JsonElement> WhoAmIAsync(string key)
    {
        var response = await Send(HttpMethod.Get, WhoAmIProbe.Path, key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Asks the service's own authentication scheme who a request is, as the endpoints will see it.</summary>
    private sealed class WhoAmIProbe : IStartupFilter
    {
        public const string Path = "/test/whoami";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map(Path, probe => probe.Run(async context =>
            {
                var result = await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
                if (!result.Succeeded)
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }
                var user = result.Principal!;
                await context.Response.WriteAsJsonAsync(new
                {
                    name = user.CallerName(),
                    admin = user.IsAdmin(),
                    maySeeAlicesJob = user.MaySee("alice"),
                    maySeeBusJob = user.MaySee(null),
                });
            }));
            next(app);
        };
    }
}
