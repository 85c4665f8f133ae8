using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SoraEvents.Service.ApiAccess;

namespace SoraEvents.Service.Tests.Support;

/// <summary>
/// Stands in for the service's API-key authentication in tests of the video API: <c>X-Test-Caller: orders</c> makes the
/// request caller "orders", <c>X-Test-Caller: ops; admin</c> an admin. Without the header the request is unauthenticated.
/// </summary>
public static class TestCallers
{
    public const string Header = "X-Test-Caller";
    private const string SchemeName = "Test";

    public static void Install(IServiceCollection services)
    {
        services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, Handler>(SchemeName, null);
        services.AddTransient<IStartupFilter, AuthenticateFirst>();
    }

    /// <summary>Runs authentication ahead of the service's own pipeline, which has none until the API-key authentication is in.</summary>
    private sealed class AuthenticateFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseAuthentication();
            next(app);
        };
    }

    public static HttpClient As(this HttpClient client, string caller, bool admin = false)
    {
        client.DefaultRequestHeaders.Remove(Header);
        client.DefaultRequestHeaders.Add(Header, admin ? $"{caller}; admin" : caller);
        return client;
    }

    private sealed class Handler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(Header, out var value)) return Task.FromResult(AuthenticateResult.NoResult());
            var parts = value.ToString().Split(';', StringSplitOptions.TrimEntries);
            var claims = new List<Claim> { new(ClaimTypes.Name, parts[0]) };
            if (parts.Contains("admin")) claims.Add(new Claim(ClaimTypes.Role, ApiCaller.AdminRole));
            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
        }
    }
}
