using System.Net;

namespace SoraEvents.Service.OutboundHttp;

/// <summary>
/// Checks each request of a guarded client before it is sent, and follows redirects itself: only within the same
/// origin (an upgrade from http to https on the same host included), each hop checked again, at most
/// <see cref="OutboundPolicy.MaxRedirects"/>. A redirect anywhere else is refused, not followed.
/// </summary>
internal sealed class OutboundRequestHandler(OutboundPolicy policy) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var redirects = 0; ; redirects++)
        {
            policy.CheckUrl(request.RequestUri);
            var response = await SendCheckedAsync(request, cancellationToken);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location
                || (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head))
                return response;

            var next = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
            response.Dispose();
            if (!SameOrigin(request.RequestUri!, next)) throw new OutboundRefusedException("a redirect to another origin is not followed");
            if (redirects >= policy.MaxRedirects) throw new OutboundRefusedException($"more than {policy.MaxRedirects} redirects");
            request = Follow(request, next);
        }
    }

    private async Task<HttpResponseMessage> SendCheckedAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await base.SendAsync(request, ct);
        }
        catch (HttpRequestException ex) when (Refusal(ex) is { } refused)
        {
            // The connection callback's refusal arrives wrapped, with the host and port in its message; the refusal says enough.
            throw refused;
        }
    }

    private static OutboundRefusedException? Refusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is OutboundRefusedException refused) return refused;
        return null;
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    private static bool SameOrigin(Uri from, Uri to) =>
        string.Equals(from.IdnHost, to.IdnHost, StringComparison.OrdinalIgnoreCase)
        && ((from.Scheme == to.Scheme && from.Port == to.Port) || (from.Scheme == Uri.UriSchemeHttp && to.Scheme == Uri.UriSchemeHttps && to.IsDefaultPort));

    private static HttpRequestMessage Follow(HttpRequestMessage previous, Uri next)
    {
        var request = new HttpRequestMessage(previous.Method, next) { Version = previous.Version, VersionPolicy = previous.VersionPolicy };
        foreach (var (name, values) in previous.Headers) request.Headers.TryAddWithoutValidation(name, values);
        return request;
    }
}
