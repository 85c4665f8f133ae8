namespace SoraEvents.Contracts;

/// <summary>The output sizes <see cref="GenerateVideo.Size"/> accepts, width by height in pixels.</summary>
public static class VideoSizes
{
    /// <summary>Landscape 720p.</summary>
    public const string Landscape = "1280x720";

    /// <summary>Portrait 720p.</summary>
    public const string Portrait = "720x1280";

    /// <summary>Wide landscape.</summary>
    public const string WideLandscape = "1792x1024";

    /// <summary>Tall portrait.</summary>
    public const string TallPortrait = "1024x1792";

    /// <summary>Every accepted size, in the order messages list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Landscape, Portrait, WideLandscape, TallPortrait];
}
