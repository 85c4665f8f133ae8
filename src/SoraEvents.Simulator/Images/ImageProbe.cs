namespace SoraEvents.Simulator.Images;

/// <summary>What could be learnt about an input image: its dimensions, that they cannot be known, or why it is unusable.</summary>
internal sealed record ImageProbe(ImageDimensions? Dimensions, string? Problem)
{
    public static ImageProbe Unknown { get; } = new(null, null);

    public static ImageProbe Known(ImageDimensions dimensions) => new(dimensions, null);

    public static ImageProbe Unusable(string problem) => new(null, problem);
}
