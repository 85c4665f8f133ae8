using System.Globalization;
using System.Text.RegularExpressions;

namespace SoraEvents.Simulator.Images;

/// <summary>
/// Finds the dimensions of an image-to-video input as far as a simulator can: data: URIs are
/// decoded, loopback URLs downloaded (a test or demo serves them), and remote URLs judged by a
/// <c>WIDTHxHEIGHT</c> in their path, since this machine cannot reach them.
/// </summary>
internal sealed partial class ImageInspector(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "SoraEvents.Simulator.ImageDownload";

    public const int MaxBytes = 10 * 1024 * 1024;

    public static readonly TimeSpan DownloadTimeout = TimeSpan.FromSeconds(10);

    private const string UnreadableHeader = "the image's dimensions could not be read; use a PNG, JPEG or WebP image";

    public Task<ImageProbe> ProbeAsync(string image, CancellationToken ct)
    {
        if (image.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(FromDataUri(image));
        }

        if (!Uri.TryCreate(image, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return Task.FromResult(ImageProbe.Unusable("image must be an http(s) URL or a data:image/...;base64,... URI"));
        }

        return uri.IsLoopback ? DownloadAsync(uri, ct) : Task.FromResult(FromPath(uri));
    }

    private static ImageProbe FromDataUri(string image)
    {
        var comma = image.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return ImageProbe.Unusable("image data: URI has no ',' before its data");
        }

        var meta = image.AsSpan(5, comma - 5);
        if (!meta.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || !meta.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            return ImageProbe.Unusable("image data: URI must look like data:image/<type>;base64,<data>");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(image[(comma + 1)..]);
        }
        catch (FormatException)
        {
            return ImageProbe.Unusable("image data: URI is not valid base64");
        }

        if (bytes.Length > MaxBytes)
        {
            return ImageProbe.Unusable("image is larger than 10 MB");
        }

        return FromHeader(bytes);
    }

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
                return ImageProbe.Unusable($"image could not be downloaded: HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                return ImageProbe.Unusable("image is larger than 10 MB");
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
                        return ImageProbe.Unusable("image is larger than 10 MB");
                    }

                    collected.Write(buffer, 0, read);
                }

                return FromHeader(collected.GetBuffer().AsSpan(0, (int)collected.Length));
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ImageProbe.Unusable($"image could not be downloaded within {DownloadTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return ImageProbe.Unusable($"image could not be downloaded: {ex.Message}");
        }
    }

    private static ImageProbe FromHeader(ReadOnlySpan<byte> bytes) =>
        ImageHeaderReader.TryRead(bytes, out _, out var dimensions)
            ? ImageProbe.Known(dimensions)
            : ImageProbe.Unusable(UnreadableHeader);

    [GeneratedRegex(@"(?<![0-9])(?<w>[1-9][0-9]{1,4})[xX](?<h>[1-9][0-9]{1,4})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex SizeInPath();
}
