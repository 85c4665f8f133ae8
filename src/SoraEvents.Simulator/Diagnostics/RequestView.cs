using SoraEvents.Simulator.Apixo;
using SoraEvents.Simulator.Pixazo;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Diagnostics;

/// <summary>
/// A recorded request as <c>GET /_sim/requests</c> shows it, statuses in its own gateway's words. The
/// callback URL's query is hidden because receivers put their secret tokens there, and long data: URIs
/// are shortened.
/// </summary>
internal sealed record RequestView(
    string Provider,
    string RequestId,
    string? VideoId,
    string Kind,
    string Prompt,
    string Model,
    string? Route,
    string? Size,
    string? Resolution,
    int? Seconds,
    int? EffectiveSeconds,
    IReadOnlyList<string> Images,
    string? CallbackUrl,
    string? CallbackShape,
    string? CallbackPlan,
    int CallbackCopies,
    long CallbackExtraDelayMs,
    string Status,
    string FinalStatus,
    string? FailCode,
    DateTimeOffset AcceptedAt,
    DateTimeOffset FinishesAt,
    int CallbacksSent,
    int CallbacksDelivered,
    int CallbackAttempts,
    IReadOnlyList<int> CallbackStatusCodes,
    bool CallbackDelivered,
    int Polls,
    string PollingUrl,
    string MediaUrl)
{
    private const int MaxImageChars = 80;

    public static RequestView Of(SimulatedRequest request)
    {
        Func<SimulatedJobStatus, string> wire = request.Provider == ProviderNames.Apixo ? ApixoWire.State : PixazoWire.Status;
        return new RequestView(
            request.Provider,
            request.RequestId,
            request.VideoId,
            request.Kind.ToString().ToLowerInvariant(),
            request.Prompt,
            request.Model,
            request.Route,
            request.Size,
            request.Resolution,
            request.Seconds,
            request.EffectiveSeconds,
            [.. request.Images.Select(Shorten)],
            Redact(request.CallbackUrl),
            (request.CallbackShape?.ToString() ?? request.ApixoCallbackShape?.ToString())?.ToLowerInvariant(),
            request.CallbackPlan?.ToString().ToLowerInvariant(),
            request.CallbackCopies,
            (long)request.CallbackExtraDelay.TotalMilliseconds,
            wire(request.Status),
            wire(request.FinalStatus),
            request.FailCode,
            request.AcceptedAt,
            request.FinishesAt,
            request.CallbacksSent,
            request.CallbacksDelivered,
            request.CallbackAttempts,
            request.CallbackStatusCodes,
            request.CallbackDelivered,
            request.Polls,
            request.PollingUrl,
            request.MediaUrl);
    }

    private static string Shorten(string image) =>
        image.Length > MaxImageChars ? $"{image[..MaxImageChars]}… ({image.Length} chars)" : image;

    private static string? Redact(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return url;
        }

        // Scheme, host and path only: user info is a secret too.
        var visible = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        return string.IsNullOrEmpty(uri.Query) ? visible : visible + "?(redacted)";
    }
}
