using SoraEvents.Imaging;

namespace SoraEvents.Simulator.Pixazo;

/// <summary>
/// The four output sizes Sora 2 Pro renders, which are also the only accepted input image sizes: the same four the
/// contract accepts, so they are read from there.
/// </summary>
internal static class VideoSizes
{
    public static IReadOnlyList<string> Allowed => Contracts.VideoSizes.All;

    public static string AllowedList => string.Join(", ", Allowed);

    public static bool IsAllowed(string size) => Allowed.Contains(size, StringComparer.Ordinal);

    public static bool IsAllowed(ImageDimensions dimensions) => IsAllowed(dimensions.ToString());
}
