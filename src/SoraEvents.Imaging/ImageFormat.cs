namespace SoraEvents.Imaging;

/// <summary>The image formats whose headers <see cref="ImageHeaderReader"/> can read: the ones the video gateways accept.</summary>
public enum ImageFormat
{
    /// <summary>Portable Network Graphics.</summary>
    Png,

    /// <summary>JPEG (JFIF or Exif), baseline or progressive.</summary>
    Jpeg,

    /// <summary>WebP, lossy (VP8), lossless (VP8L) or extended (VP8X).</summary>
    WebP,
}
