using System.Net.Sockets;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Providers;

/// <summary>
/// What a gateway's refusal means for the job, for both gateways: the one place that decides which answers
/// certainly created nothing (safe to retry or fail over), which refuse the job for good, and which leave it
/// unknown whether a task, and a charge, exists.
/// </summary>
public static class GatewayAnswers
{
    private static readonly string[] BalanceWords = ["credit", "balance"];

    /// <summary>
    /// The exception for an answer that is not an acceptance. <paramref name="status"/> is the HTTP status, or for
    /// APIXO's errors inside an HTTP 200 envelope the envelope's <c>code</c>; <paramref name="text"/> is the
    /// gateway's own words, read for balance, content and image problems.
    /// </summary>
    public static Exception ForRefusal(string provider, int status, string text, TimeSpan? retryAfter)
    {
        var detail = $"HTTP {status}: {text}";
        return status switch
        {
            // Answers that certainly created nothing: a retry, or another gateway, cannot pay twice.
            429 => new GatewayUnavailableException(provider, detail, retryAfter),
            503 when retryAfter is not null => new GatewayUnavailableException(provider, detail, retryAfter),
            402 => new GatewayRejectedException(provider, VideoFailureCodes.InsufficientBalance, text, status),
            400 when BalanceWords.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase)) =>
                new GatewayRejectedException(provider, VideoFailureCodes.InsufficientBalance, text, status),
            400 => new GatewayRejectedException(provider, FailureMessages.Classify(text, VideoFailureCodes.ProviderRejected), text, status),
            // 401, 403, 404 and the rest of 4xx: the request itself is wrong for this account; retrying cannot help.
            >= 400 and < 500 and not 408 => new GatewayRejectedException(provider, VideoFailureCodes.ProviderRejected, detail, status),
            // 500, 502, 504, 408, a 503 without Retry-After, anything else: an API gateway in front of the backend can
            // answer these after the backend created (and charged) the task.
            _ => new GatewayOutcomeUnknownException(provider, detail),
        };
    }

    /// <summary>
    /// The exception for a request that got no answer. Only a connection that was never made certainly created
    /// nothing; a timeout or a connection lost mid-request may have delivered the request.
    /// </summary>
    public static Exception ForSendFailure(string provider, Exception failure) => failure switch
    {
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NetworkUnreachable } } =>
            new GatewayUnavailableException(provider, failure.Message, inner: failure),
        _ => new GatewayOutcomeUnknownException(provider, failure is TaskCanceledException ? "no answer in time" : failure.Message, failure),
    };

    /// <summary>A 2xx whose body does not carry the task's id: the gateway probably created the task, so nothing is retried.</summary>
    public static GatewayOutcomeUnknownException UnreadableAcceptance(string provider, string why) =>
        new(provider, $"accepted the job but {why}");
}
