using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SoraEvents.Imaging;

/// <summary>
/// The image a <c>data:image/&lt;type&gt;;base64,&lt;data&gt;</c> URI carries, decoded. It says nothing
/// about whether the bytes are a readable image; <see cref="ImageHeaderReader"/> answers that.
/// </summary>
/// <param name="MediaType">The declared media type, lower-case and without parameters, e.g. <c>image/png</c>.</param>
/// <param name="Bytes">The decoded bytes.</param>
public sealed record DataUriImage(string MediaType, byte[] Bytes)
{
    private const string Scheme = "data:";

    private const string Expected = "must look like data:image/<type>;base64,<data>";

    /// <summary>True when <paramref name="value"/> is written as a data: URI (it may still be a broken one).</summary>
    /// <param name="value">An image reference: a URL or a data: URI.</param>
    public static bool IsDataUri([NotNullWhen(true)] string? value) =>
        value is not null && value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Decodes a base64 <c>data:image/…</c> URI of any size.</summary>
    /// <param name="dataUri">The URI, e.g. <c>data:image/png;base64,iVBORw0KGgo…</c>.</param>
    /// <param name="image">The decoded image when true is returned.</param>
    /// <param name="problem">When false is returned, what is wrong, as a fragment to follow the field's name: "is not valid base64".</param>
    public static bool TryParse(
        string dataUri,
        [NotNullWhen(true)] out DataUriImage? image,
        [NotNullWhen(false)] out string? problem) =>
        TryParse(dataUri, int.MaxValue, out image, out problem);

    /// <summary>Decodes a base64 <c>data:image/…</c> URI, refusing one whose image is larger than <paramref name="maxBytes"/>.</summary>
    /// <param name="dataUri">The URI, e.g. <c>data:image/png;base64,iVBORw0KGgo…</c>.</param>
    /// <param name="maxBytes">The largest decoded image accepted, e.g. 10 MB (10 × 1024 × 1024) for both video gateways.</param>
    /// <param name="image">The decoded image when true is returned.</param>
    /// <param name="problem">When false is returned, what is wrong, as a fragment to follow the field's name: "is not valid base64".</param>
    public static bool TryParse(
        string dataUri,
        int maxBytes,
        [NotNullWhen(true)] out DataUriImage? image,
        [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(dataUri);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        image = null;

        if (!IsDataUri(dataUri))
        {
            problem = "is not a data: URI";
            return false;
        }

        var comma = dataUri.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            problem = "has no ',' before its data";
            return false;
        }

        // RFC 2397: data:[<mediatype>][;<parameter>]*[;base64],<data>; parameters such as a name may sit in between.
        var header = dataUri[Scheme.Length..comma].Split(';');
        var mediaType = header[0].Trim().ToLowerInvariant();
        if (!mediaType.StartsWith("image/", StringComparison.Ordinal) || mediaType.Length == "image/".Length)
        {
            problem = mediaType.Length == 0 ? Expected : $"{Expected}; its media type is '{mediaType}'";
            return false;
        }

        if (header.Length < 2 || !header[^1].Trim().Equals("base64", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"{Expected}; only base64 data is accepted";
            return false;
        }

        var data = dataUri.AsSpan(comma + 1);
        if (data.IsWhiteSpace())
        {
            problem = "carries no data";
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(dataUri[(comma + 1)..]);
        }
        catch (FormatException)
        {
            problem = "is not valid base64";
            return false;
        }

        if (bytes.Length > maxBytes)
        {
            problem = $"is larger than {Describe(maxBytes)} ({bytes.Length.ToString(CultureInfo.InvariantCulture)} bytes)";
            return false;
        }

        image = new DataUriImage(mediaType, bytes);
        problem = null;
        return true;
    }

    private static string Describe(int bytes) =>
        bytes % (1024 * 1024) == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}
