namespace SoraEvents.Service.Providers;

/// <summary>
/// The video URLs a gateway reports for a finished task. They go out on <c>VideoCompleted.VideoUrl</c>, which the
/// contract declares non-null, and the archive downloads them, so only absolute http(s) URLs are taken: anything
/// else (missing, empty, <c>file://</c>, relative) makes the whole answer unreadable, and the service asks the
/// status API instead, as for any body it cannot read.
/// </summary>
internal static class GatewayVideoUrls
{
    /// <param name="urls">The URLs as the body carried them; null elements are possible, JSON allows them.</param>
    /// <param name="field">The body's field, named in the reason when the URLs are not usable.</param>
    public static GatewayOutcome Succeeded(IReadOnlyList<string?>? urls, DateTimeOffset? expiresAt, string field)
    {
        if (urls is not { Count: > 0 }) return new GatewayOutcome.Unreadable($"success without {field}");
        foreach (var url in urls)
            if (!IsAbsoluteHttp(url))
                return new GatewayOutcome.Unreadable($"{field} holds a value that is not an absolute http(s) URL");
        return new GatewayOutcome.Succeeded(urls.Select(u => u!.Trim()).ToList(), expiresAt);
    }

    public static bool IsAbsoluteHttp(string? url) =>
        !string.IsNullOrWhiteSpace(url)
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.Host.Length > 0;
}
