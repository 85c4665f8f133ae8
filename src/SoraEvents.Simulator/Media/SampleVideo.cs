namespace SoraEvents.Simulator.Media;

/// <summary>
/// A one-second 160x90 H.264 MP4 (faststart) standing in for every generated video, embedded so the
/// simulator needs no files beside it. Made with
/// <c>ffmpeg -f lavfi -i testsrc=size=160x90:rate=10:duration=1 -c:v libx264 -preset veryslow -crf 35 -pix_fmt yuv420p -profile:v baseline -movflags +faststart -an sample.mp4</c>.
/// </summary>
internal static class SampleVideo
{
    public const string ContentType = "video/mp4";

    private const string ResourceName = "SoraEvents.Simulator.Media.sample.mp4";

    private static readonly Lazy<byte[]> Content = new(Load);

    public static byte[] Bytes => Content.Value;

    private static byte[] Load()
    {
        using var stream = typeof(SampleVideo).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the simulator assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
