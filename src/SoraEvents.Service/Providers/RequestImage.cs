using SoraEvents.Imaging;

namespace SoraEvents.Service.Providers;

/// <summary>
/// What can be known locally about a command's image before a gateway is paid: for a <c>data:</c> URI its
/// format, dimensions and size from the bytes themselves; for a URL nothing (only the gateway can fetch it).
/// </summary>
public sealed record RequestImage(ImageFormat? Format, ImageDimensions? Dimensions, int? ByteLength, string? Problem)
{
    public static RequestImage? Inspect(string? image)
    {
        if (string.IsNullOrWhiteSpace(image)) return null;
        if (!DataUriImage.IsDataUri(image)) return new RequestImage(null, null, null, null);
        if (!DataUriImage.TryParse(image, out var decoded, out var problem))
            return new RequestImage(null, null, null, $"image {problem}.");
        if (!ImageHeaderReader.TryRead(decoded.Bytes, out var format, out var dimensions))
            return new RequestImage(null, null, decoded.Bytes.Length, "image is not a readable PNG, JPEG or WebP image.");
        return new RequestImage(format, dimensions, decoded.Bytes.Length, null);
    }
}
