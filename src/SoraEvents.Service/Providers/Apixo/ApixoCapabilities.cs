using SoraEvents.Contracts;

namespace SoraEvents.Service.Providers.Apixo;

/// <summary>What APIXO can make, from its document: the problems a request would meet there, each naming APIXO.</summary>
public static class ApixoCapabilities
{
    public static readonly int[] Seconds = [10, 15];

    /// <summary>The official route ignores the duration it is sent and always makes 12 seconds.</summary>
    public const int OfficialRouteSeconds = 12;

    public const int MaxImageBytes = 10 * 1024 * 1024;

    public static IReadOnlyList<string> Refusals(GenerateVideo request, RequestImage? image, bool officialRoute)
    {
        var problems = new List<string>();
        if (request.Seconds is { } seconds)
        {
            if (officialRoute && seconds != OfficialRouteSeconds)
                problems.Add($"apixo: seconds {seconds} is not supported on the official route, which always makes 12-second videos; use 12.");
            else if (!officialRoute && !Seconds.Contains(seconds))
                problems.Add($"apixo: seconds {seconds} is not supported; use 10 or 15.");
        }
        if (image?.ByteLength > MaxImageBytes)
            problems.Add($"apixo: the image is {image.ByteLength / (1024 * 1024.0):0.#} MB; at most 10 MB is allowed.");
        return problems;
    }
}
