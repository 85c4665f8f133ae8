using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace SoraEvents.Service.ApiAccess;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c> against the configured keys; the caller's name becomes
/// <see cref="ClaimTypes.Name"/>, admin keys add <see cref="ApiCaller.AdminRole"/>. A scheme of our own rather than
/// JwtBearer: the keys are opaque static strings, there is no token to validate, only a lookup.
/// With no key configured every request is <see cref="ApiCaller.Anonymous"/> with the admin role (the start check
/// allows that on loopback only, or with <c>Api:AllowAnonymous</c>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    ApiKeyDirectory keys,
    RefusedApiKeyLog refusedLog)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (keys.IsEmpty) return Task.FromResult(Success(ApiCaller.Anonymous, isAdmin: true));

        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0) return Task.FromResult(AuthenticateResult.NoResult());
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.Fail("the Authorization header is not Bearer"));
        // The failure message is logged by the framework at Information: it names no part of the key.
        return Task.FromResult(keys.Find(header[BearerPrefix.Length..].Trim()) is { } owner
            ? Success(owner.Caller, owner.IsAdmin)
            : AuthenticateResult.Fail("unknown API key"));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = Request.Headers.Authorization.Count > 0;
        refusedLog.Refused(presented ? "unknown API key" : "no API key");
        Response.Headers.WWWAuthenticate = "Bearer";
        var error = presented
            ? new OpenAiError("Incorrect API key provided. Send a key configured as Api__Keys__<caller>, as 'Authorization: Bearer <key>'.",
                "invalid_request_error", null, "invalid_api_key")
            : new OpenAiError("You didn't provide an API key. Send it in an Authorization header using Bearer auth ('Authorization: Bearer <key>').",
                "invalid_request_error", null, "invalid_api_key");
        await error.ToProblem(StatusCodes.Status401Unauthorized, "Unauthorized").ExecuteAsync(Context);
    }

    private AuthenticateResult Success(string caller, bool isAdmin)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, caller) };
        if (isAdmin) claims.Add(new Claim(ClaimTypes.Role, ApiCaller.AdminRole));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
