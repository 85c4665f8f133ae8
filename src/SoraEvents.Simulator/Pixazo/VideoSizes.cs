using SoraEvents.Imaging;

namespace SoraEvents.Simulator.Pixazo;

/// <summary>The four output sizes Sora 2 Pro renders, which are also the only accepted input image sizes.</summary>
internal static class VideoSizes
{
    public static readonly IReadOnlyList<string> Allowed = ["1280x720", "720x1280", "1792x1024", "1024x1792"];

    public static string AllowedList => string.Join(", ", Allowed);

    public static bool IsAllowed(string size) => Allowed.Contains(size, StringComparer.Ordinal);

    public static bool IsAllowed(ImageDimensions dimensions) => IsAllowed(dimensions.ToString());
}
