namespace SoraEvents.Service.ApiAccess;

/// <summary>Every log line written while an authenticated request runs carries the caller's name as <c>Caller</c>.</summary>
public sealed class CallerLogScope(RequestDelegate next, ILogger<CallerLogScope> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }
        using (logger.BeginScope(new Dictionary<string, object> { ["Caller"] = context.User.CallerName() }))
            await next(context);
    }
}
