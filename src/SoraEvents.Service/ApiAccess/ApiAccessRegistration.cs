using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace SoraEvents.Service.ApiAccess;

public static class ApiAccessRegistration
{
    /// <summary>API keys (<see cref="ApiOptions"/>), their authentication scheme and the per-caller rate limit.</summary>
    public static IServiceCollection AddApiAccess(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new ApiKeyDirectory(sp.GetRequiredService<IOptions<ApiOptions>>().Value));
        services.AddSingleton<RefusedApiKeyLog>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddApiRateLimit();
        return services;
    }

    /// <summary>
    /// Refuses to start an open API on a non-loopback address (<see cref="ApiAccessStartCheck"/>), then authenticates,
    /// authorizes, puts the caller in the log scope and applies the rate limit, in that order: the limit counts
    /// authenticated callers only.
    /// </summary>
    public static WebApplication UseApiAccess(this WebApplication app)
    {
        ApiAccessStartCheck.Run(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<CallerLogScope>();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>Only callers with a key (or anyone, on an open API) may use these endpoints, each within its rate limit.</summary>
    public static TBuilder RequireApiCaller<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization().RequireRateLimiting(ApiRateLimit.PolicyName);
}
