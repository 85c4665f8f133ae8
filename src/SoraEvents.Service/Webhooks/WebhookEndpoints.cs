using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SoraEvents.Service.Providers;

namespace SoraEvents.Service.Webhooks;

public static class WebhookEndpoints
{
    private const string LogCategory = "SoraEvents.Service.Webhooks.WebhookEndpoints";

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/{provider}/{jobId:guid}", ReceiveAsync)
            .WithName("ReceiveCallback")
            .WithSummary("Receives a gateway callback; answers 200 only once the broker has confirmed it.");
        return app;
    }

    internal static async Task<Results<Ok<CallbackAccepted>, ProblemHttpResult>> ReceiveAsync(
        string provider,
        Guid jobId,
        string? token,
        HttpRequest request,
        GatewayRouter gateways,
        CallbackTokens tokens,
        ICallbackInbox inbox,
        IngestionPressure pressure,
        IOptions<WebhookOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        using var receiving = pressure.Receive();
        var logger = loggers.CreateLogger(LogCategory);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId, ["Provider"] = provider });

        if (gateways.Find(provider) is null)
            return Problem(StatusCodes.Status404NotFound, "Unknown provider", $"No gateway is called '{provider}'.");
        if (!tokens.Verify(provider, jobId, token))
        {
            logger.LogWarning("Callback for job {JobId} from {Provider} refused: missing or wrong token", jobId, provider);
            return Problem(StatusCodes.Status401Unauthorized, "Invalid callback token", "The callback URL's token does not match this job.");
        }

        var limit = options.Value.MaxBodyBytes;
        var body = await ReadBoundedAsync(request, limit, ct);
        if (body is null)
            return Problem(StatusCodes.Status413PayloadTooLarge, "Callback body too large", $"Callback bodies are limited to {limit} bytes.");
        if (!IsJson(body, out var why))
            return Problem(StatusCodes.Status400BadRequest, "Unreadable callback body", $"The body is not JSON: {why}");

        var received = new CallbackReceived(jobId, provider, body, time.GetUtcNow());
        if (!await inbox.TryAcceptAsync(received, ct))
        {
            // Nothing was acknowledged, so nothing is lost: the gateway retries and the poller still asks.
            request.HttpContext.Response.Headers.RetryAfter = "5";
            return Problem(StatusCodes.Status503ServiceUnavailable, "Try again later", "The callback could not be stored right now.");
        }

        logger.LogInformation("Callback for job {JobId} from {Provider} accepted", jobId, provider);
        return TypedResults.Ok(new CallbackAccepted(jobId));
    }

    /// <summary>The body as text, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    private static async Task<string?> ReadBoundedAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return null;

        var buffer = new byte[Math.Min(limit + 1, (int?)request.ContentLength + 1 ?? 16 * 1024)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > limit) return null;
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, limit + 1));
            }
            var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0) break;
            length += read;
            if (length > limit) return null;
        }
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static bool IsJson(string body, out string why)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            why = "";
            return true;
        }
        catch (JsonException ex)
        {
            why = ex.Message;
            return false;
        }
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);
}
