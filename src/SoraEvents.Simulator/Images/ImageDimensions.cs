using System.Globalization;

namespace SoraEvents.Simulator.Images;

/// <summary>Pixel width and height, written the way Pixazo writes sizes: <c>1280x720</c>.</summary>
internal readonly record struct ImageDimensions(int Width, int Height)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}");
}
