using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Telemetry;

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
        RefusedCallbackLog refused,
        ServiceTelemetry telemetry,
        IOptions<WebhookOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var logger = loggers.CreateLogger(LogCategory);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId, ["Provider"] = provider });

        if (gateways.Find(provider) is not { } gateway)
            return Problem(StatusCodes.Status404NotFound, "Unknown provider", $"No gateway is called '{provider}'.");
        if (!tokens.Verify(provider, jobId, token))
        {
            refused.Unauthenticated(gateway.Name, jobId);
            return Problem(StatusCodes.Status401Unauthorized, "Invalid callback token", "The callback URL's token does not match this job.");
        }

        var limit = options.Value.MaxBodyBytes;
        string? body;
        try
        {
            body = await ReadBoundedAsync(request, limit, ct);
        }
        catch (BadHttpRequestException ex)
        {
            // A body that trickles in too slowly or stops short is the sender's problem, not an error of ours.
            logger.LogWarning("Callback for job {JobId} from {Provider}: the body did not arrive ({Reason})", jobId, provider, ex.Message);
            telemetry.CallbackRefused(gateway.Name, "body_not_received");
            return Problem(ex.StatusCode, "Callback body not received", "The callback body did not arrive in full; send it again.");
        }
        if (body is null)
        {
            telemetry.CallbackRefused(gateway.Name, "too_large");
            return Problem(StatusCodes.Status413PayloadTooLarge, "Callback body too large", $"Callback bodies are limited to {limit} bytes.");
        }
        if (!IsJson(body, out var why))
        {
            telemetry.CallbackRefused(gateway.Name, "unreadable");
            return Problem(StatusCodes.Status400BadRequest, "Unreadable callback body", $"The body is not JSON: {why}");
        }

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

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

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
        // A byte order mark is allowed before UTF-8 JSON (RFC 8259 lets a parser ignore it), and some senders write one.
        var start = buffer.AsSpan(0, length).StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        return Encoding.UTF8.GetString(buffer, start, length - start);
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
