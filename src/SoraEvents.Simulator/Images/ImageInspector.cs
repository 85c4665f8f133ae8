using System.Globalization;
using System.Text.RegularExpressions;
using SoraEvents.Imaging;

namespace SoraEvents.Simulator.Images;

/// <summary>
/// Finds out about an image-to-video input as far as a simulator can: data: URIs are decoded,
/// loopback URLs downloaded (a test or demo serves them), and remote URLs judged by a
/// <c>WIDTHxHEIGHT</c> in their path, since this machine cannot reach them.
/// </summary>
internal sealed partial class ImageInspector(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "SoraEvents.Simulator.ImageDownload";

    /// <summary>Both gateways refuse input images over 10 MB.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    public static readonly TimeSpan DownloadTimeout = TimeSpan.FromSeconds(10);

    private const string UnreadableHeader = "is not a readable PNG, JPEG or WebP image: its dimensions could not be read";

    private const string TooLarge = "is larger than 10 MB";

    public Task<ImageProbe> ProbeAsync(string image, CancellationToken ct)
    {
        if (DataUriImage.IsDataUri(image))
        {
            return Task.FromResult(FromDataUri(image));
        }

        if (!Uri.TryCreate(image, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return Task.FromResult(ImageProbe.Unusable("must be an http(s) URL or a data:image/...;base64,... URI"));
        }

        return uri.IsLoopback ? DownloadAsync(uri, ct) : Task.FromResult(FromPath(uri));
    }

    private static ImageProbe FromDataUri(string image) =>
        DataUriImage.TryParse(image, MaxBytes, out var decoded, out var problem)
            ? FromHeader(decoded.Bytes)
            : ImageProbe.Unusable(problem);

    private static ImageProbe FromPath(Uri uri)
    {
        var matches = SizeInPath().Matches(uri.AbsolutePath);
        if (matches.Count == 0)
        {
            return ImageProbe.Unknown;
        }

        // The file name comes last, so the last WxH in the path is the one that describes the image.
        var last = matches[^1];
        return ImageProbe.Known(new ImageDimensions(int.Parse(last.Groups["w"].ValueSpan, CultureInfo.InvariantCulture), int.Parse(last.Groups["h"].ValueSpan, CultureInfo.InvariantCulture)));
    }

    private async Task<ImageProbe> DownloadAsync(Uri uri, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(DownloadTimeout);
        try
        {
            var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return ImageProbe.Unreachable($"could not be downloaded: HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                return ImageProbe.Unusable(TooLarge);
            }

            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var collected = new MemoryStream();
                var buffer = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false)) > 0)
                {
                    // Content-Length can be absent or lie; count what actually arrives.
                    if (collected.Length + read > MaxBytes)
                    {
                        return ImageProbe.Unusable(TooLarge);
                    }

                    collected.Write(buffer, 0, read);
                }

                return FromHeader(collected.GetBuffer().AsSpan(0, (int)collected.Length));
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ImageProbe.Unreachable($"could not be downloaded within {DownloadTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return ImageProbe.Unreachable($"could not be downloaded: {ex.Message}");
        }
    }

    private static ImageProbe FromHeader(ReadOnlySpan<byte> bytes) =>
        ImageHeaderReader.TryRead(bytes, out _, out var dimensions)
            ? ImageProbe.Known(dimensions)
            : ImageProbe.Unusable(UnreadableHeader);

    [GeneratedRegex(@"(?<![0-9])(?<w>[1-9][0-9]{1,4})[xX](?<h>[1-9][0-9]{1,4})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex SizeInPath();
}
