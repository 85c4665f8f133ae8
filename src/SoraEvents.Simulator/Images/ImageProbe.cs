using SoraEvents.Imaging;

namespace SoraEvents.Simulator.Images;

/// <summary>
/// What could be learnt about an input image: its dimensions, that they cannot be known, or why it is
/// unusable. <see cref="Problem"/> is a fragment meant to follow the field's name ("image is larger than 10 MB").
/// </summary>
/// <param name="Dimensions">The image's size, when it could be found.</param>
/// <param name="Problem">Why the image cannot be used; null when it can.</param>
/// <param name="IsUnreachable">
/// The image could not be fetched at all, as opposed to being fetched and found wanting. APIXO
/// accepts such a task and fails it later with INVALID_IMAGE_URL; Pixazo refuses it at once.
/// </param>
internal sealed record ImageProbe(ImageDimensions? Dimensions, string? Problem, bool IsUnreachable = false)
{
    public static ImageProbe Unknown { get; } = new(null, null);

    public static ImageProbe Known(ImageDimensions dimensions) => new(dimensions, null);

    public static ImageProbe Unusable(string problem) => new(null, problem);

    public static ImageProbe Unreachable(string problem) => new(null, problem, IsUnreachable: true);
}
