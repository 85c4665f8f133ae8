using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SoraEvents.Cli.Tests.Api;

/// <summary>
/// <c>--api-key</c> / <c>SORAEVENTS_API_KEY</c> reach the API as a Bearer header, against a stand-in API that records
/// what it was sent and refuses every request as the service refuses an unknown key.
/// </summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    private const string Key = "sk_cli_test_0123456789abcdef";
    private readonly ConcurrentQueue<string> authorizations = new();
    private WebApplication api = null!;
    private string apiUrl = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        api = builder.Build();
        api.Run(async context =>
        {
            authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsync("""{"title":"Unauthorized","status":401,"detail":"Incorrect API key provided.","error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");
        });
        await api.StartAsync();
        apiUrl = api.Urls.Single();
    }

    public async Task DisposeAsync() => await api.DisposeAsync();

    [Fact]
    public async Task Api_key_option_is_sent_as_a_bearer_header_and_a_refusal_is_one_line_without_the_key()
    {
        var result = await Soraevents.FailsAsync("jobs", "show", Guid.NewGuid().ToString(), "--api", apiUrl, "--api-key", Key);

        Assert.Equal($"Bearer {Key}", Assert.Single(authorizations));
        Assert.Contains("answered 401", result.Error);
        Assert.Contains("Incorrect API key provided.", result.Error);
        Assert.DoesNotContain(Key, result.Error + result.Out);
    }

    [Fact]
    public async Task Without_a_key_no_authorization_header_is_sent()
    {
        await Soraevents.FailsAsync("jobs", "list", "--api", apiUrl);

        Assert.Equal("", Assert.Single(authorizations));
    }

    [Fact]
    public async Task Help_names_the_option_and_its_variable_but_never_a_key()
    {
        Environment.SetEnvironmentVariable("SORAEVENTS_API_KEY", Key);
        try
        {
            var help = await Soraevents.RunAsync("jobs", "list", "--help");
            Assert.Contains("--api-key", help.Out);
            Assert.Contains("SORAEVENTS_API_KEY", help.Out);
            Assert.DoesNotContain(Key, help.Out);

            await Soraevents.FailsAsync("jobs", "list", "--api", apiUrl);
            Assert.Equal($"Bearer {Key}", Assert.Single(authorizations));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SORAEVENTS_API_KEY", null);
        }
    }
}
