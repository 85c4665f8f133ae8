using SoraEvents.Contracts;

namespace SoraEvents.Service.Providers.Pixazo;

/// <summary>What Pixazo can make, from its document: the problems a request would meet there, each naming Pixazo.</summary>
public static class PixazoCapabilities
{
    public static readonly int[] Seconds = [4, 8, 12];
    /// <summary>Pixazo makes every size the contract accepts, and needs an image of exactly one of them.</summary>
    public static IReadOnlyList<string> Sizes => VideoSizes.All;

    public static IReadOnlyList<string> Refusals(GenerateVideo request, RequestImage? image)
    {
        var problems = new List<string>();
        if (request.Seconds is { } seconds && !Seconds.Contains(seconds))
            problems.Add($"pixazo: seconds {seconds} is not supported; use 4, 8 or 12.");
        if (image?.Dimensions is { } dimensions)
        {
            var found = dimensions.ToString();
            if (!Sizes.Contains(found))
                problems.Add($"pixazo: the image is {found}; it must be exactly {string.Join(", ", Sizes)}.");
            else if (request.Size is { } size && size != found)
                problems.Add($"pixazo: size {size} does not match the image's {found}; it must equal the image's dimensions.");
        }
        return problems;
    }
}
