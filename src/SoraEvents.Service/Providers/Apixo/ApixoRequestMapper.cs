using SoraEvents.Contracts;

namespace SoraEvents.Service.Providers.Apixo;

/// <summary>Turns a <see cref="GenerateVideo"/> into APIXO's generate call, always in callback mode.</summary>
public static class ApixoRequestMapper
{
    public static string GeneratePath(string model) => $"api/v1/generateTask/{Uri.EscapeDataString(model)}";

    public static string StatusPath(string model, string taskId) =>
        $"api/v1/statusTask/{Uri.EscapeDataString(model)}?taskId={Uri.EscapeDataString(taskId)}";

    public static ApixoGenerateRequest Map(GenerateVideo command, ApixoOptions options, Uri callbackUrl)
    {
        var isImage = !string.IsNullOrWhiteSpace(command.Image);
        var input = new ApixoInput(
            Mode: isImage ? "image-to-video" : "text-to-video",
            Prompt: command.Prompt,
            Duration: Duration(command.Seconds, options.IsOfficialRoute),
            // APIXO writes sizes with an asterisk; size belongs to text-to-video, resolution to image-to-video.
            Size: isImage ? null : command.Size?.Replace('x', '*'),
            Resolution: isImage ? command.Resolution : null,
            ImageUrls: isImage ? [command.Image!] : null);
        return new ApixoGenerateRequest("callback", callbackUrl.AbsoluteUri, options.Route, input);
    }

    /// <summary>The official route makes 12 s whatever it is sent, but still accepts only 10 or 15.</summary>
    private static int? Duration(int? seconds, bool officialRoute) =>
        officialRoute && seconds == ApixoCapabilities.OfficialRouteSeconds ? 10 : seconds;
}
