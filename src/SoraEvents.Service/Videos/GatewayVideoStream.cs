namespace SoraEvents.Service.Videos;

/// <summary>
/// Opens a gateway's video URL for <c>GET /v1/videos/{id}/content</c>. The client is the guarded outbound one
/// (registered with the archive's policy), so the URL gets the same checks as an archive download: scheme,
/// address after DNS, redirects.
/// </summary>
public sealed class GatewayVideoStream(HttpClient http)
{
    /// <summary>How long the gateway may take to start answering; the body then streams for as long as the client reads.</summary>
    private static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(30);

    public async Task<HttpResponseMessage> OpenAsync(Uri url, string? range, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (range is not null) request.Headers.TryAddWithoutValidation("Range", range);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(HeadersTimeout);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bounded.Token);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new HttpRequestException($"the gateway did not answer within {HeadersTimeout.TotalSeconds:0} s", ex);
        }
    }
}
