using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace SoraEvents.Service.ApiAccess;

/// <summary>
/// <c>Api:RequestsPerMinute</c> per caller, with ASP.NET Core's rate limiter: a fixed one-minute window per caller
/// name (authenticated names only, so no caller can grow the partitions), no queue; beyond it 429 with
/// <c>Retry-After</c> and OpenAI's error member.
/// </summary>
public static class ApiRateLimit
{
    public const string PolicyName = "api-caller";

    public static IServiceCollection AddApiRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PolicyName, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.RequestsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(context.User.CallerName(), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = RejectAsync;
        });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var perMinute = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.RequestsPerMinute;
        var error = new OpenAiError($"Rate limit reached for caller '{context.User.CallerName()}': {perMinute} requests per minute. Try again in {seconds} s.",
            "rate_limit_exceeded", null, "rate_limit_exceeded");
        await error.ToProblem(StatusCodes.Status429TooManyRequests, "Too many requests").ExecuteAsync(context);
    }
}
