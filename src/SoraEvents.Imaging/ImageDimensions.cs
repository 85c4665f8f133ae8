using System.Globalization;

namespace SoraEvents.Imaging;

/// <summary>An image's size in pixels.</summary>
/// <param name="Width">Width in pixels, at least 1.</param>
/// <param name="Height">Height in pixels, at least 1.</param>
public readonly record struct ImageDimensions(int Width, int Height)
{
    /// <summary>Width and height the way video sizes are written, e.g. <c>1280x720</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}");
}
