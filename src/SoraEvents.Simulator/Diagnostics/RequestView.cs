using SoraEvents.Simulator.Pixazo;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Diagnostics;

/// <summary>
/// A recorded request as <c>GET /_sim/requests</c> shows it. The callback URL's query is hidden
/// because receivers put their secret tokens there, and long data: URIs are shortened.
/// </summary>
internal sealed record RequestView(
    string RequestId,
    string VideoId,
    string Kind,
    string Prompt,
    string Model,
    string? Size,
    int? Seconds,
    string? Image,
    string? CallbackUrl,
    string? CallbackShape,
    string Status,
    string FinalStatus,
    DateTimeOffset AcceptedAt,
    DateTimeOffset FinishesAt,
    int CallbackAttempts,
    IReadOnlyList<int> CallbackStatusCodes,
    bool CallbackDelivered,
    int Polls,
    string PollingUrl,
    string MediaUrl)
{
    private const int MaxImageChars = 80;

    public static RequestView Of(SimulatedRequest request) => new(
        request.RequestId,
        request.VideoId,
        request.Kind.ToString().ToLowerInvariant(),
        request.Prompt,
        request.Model,
        request.Size,
        request.Seconds,
        Shorten(request.Image),
        Redact(request.CallbackUrl),
        request.CallbackShape?.ToString().ToLowerInvariant(),
        PixazoWire.Status(request.Status),
        PixazoWire.Status(request.FinalStatus),
        request.AcceptedAt,
        request.FinishesAt,
        request.CallbackAttempts,
        request.CallbackStatusCodes,
        request.CallbackDelivered,
        request.Polls,
        request.PollingUrl,
        request.MediaUrl);

    private static string? Shorten(string? image) =>
        image is { Length: > MaxImageChars } ? $"{image[..MaxImageChars]}… ({image.Length} chars)" : image;

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
