using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using SoraEvents.Imaging;

namespace SoraEvents.Simulator.Images;

/// <summary>
/// Finds out about an image-to-video input as far as a simulator can, without fetching anything: data: URIs are
/// decoded; URLs under the simulator's own <c>/_sim/images/</c> are read from <see cref="HostedImages"/>; any other
/// URL on a loopback, private or link-local address is unreachable, as it would be for a gateway on the internet,
/// with one answer whatever is (or is not) listening there; and remote URLs are judged by a <c>WIDTHxHEIGHT</c> in
/// their path, since this machine cannot reach them.
/// </summary>
internal sealed partial class ImageInspector(HostedImages hosted)
{
    /// <summary>Both gateways refuse input images over 10 MB.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    private const string UnreadableHeader = "is not a readable PNG, JPEG or WebP image: its dimensions could not be read";

    private const string TooLarge = "is larger than 10 MB";

    /// <summary>The one answer for an image that cannot be had, so it never tells a closed port from an open one.</summary>
    private const string CouldNotBeDownloaded = "could not be downloaded";

    /// <param name="image">The request's image field.</param>
    /// <param name="ownBase">The base URL the simulator serves under (what its own media and image URLs start with).</param>
    public ImageProbe Probe(string image, string ownBase)
    {
        if (DataUriImage.IsDataUri(image))
        {
            return FromDataUri(image);
        }

        if (!Uri.TryCreate(image, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return ImageProbe.Unusable("must be an http(s) URL or a data:image/...;base64,... URI");
        }

        if (IsOwn(uri, ownBase))
        {
            return FromHosted(uri);
        }

        return IsInternal(uri) ? ImageProbe.Unreachable(CouldNotBeDownloaded) : FromPath(uri);
    }

    private ImageProbe FromHosted(Uri uri)
    {
        var path = uri.AbsolutePath;
        var image = path.StartsWith(HostedImages.PathPrefix, StringComparison.Ordinal)
            ? hosted.Find(Uri.UnescapeDataString(path[HostedImages.PathPrefix.Length..]))
            : null;
        if (image is null)
        {
            return ImageProbe.Unreachable(CouldNotBeDownloaded);
        }

        return image.Bytes.Length > MaxBytes ? ImageProbe.Unusable(TooLarge) : FromHeader(image.Bytes);
    }

    private static bool IsOwn(Uri uri, string ownBase) =>
        Uri.TryCreate(ownBase, UriKind.Absolute, out var own)
        && uri.Scheme == own.Scheme
        && uri.Port == own.Port
        && string.Equals(uri.IdnHost, own.IdnHost, StringComparison.OrdinalIgnoreCase);

    /// <summary>Addresses a gateway on the internet could never reach: loopback, private, link-local and the like.</summary>
    private static bool IsInternal(Uri uri)
    {
        if (uri.IsLoopback || uri.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IPAddress.TryParse(uri.IdnHost, out var address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 100 && b[1] is >= 64 and <= 127);
        }

        return IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
            || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
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

    private static ImageProbe FromHeader(ReadOnlySpan<byte> bytes) =>
        ImageHeaderReader.TryRead(bytes, out _, out var dimensions)
            ? ImageProbe.Known(dimensions)
            : ImageProbe.Unusable(UnreadableHeader);

    [GeneratedRegex(@"(?<![0-9])(?<w>[1-9][0-9]{1,4})[xX](?<h>[1-9][0-9]{1,4})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex SizeInPath();
}
