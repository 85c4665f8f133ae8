using SoraEvents.Contracts;

namespace SoraEvents.Service.Providers.Pixazo;

/// <summary>Turns a <see cref="GenerateVideo"/> into Pixazo's generate call.</summary>
public static class PixazoRequestMapper
{
    public const string TextToVideoPath = "sora-video/v1/video/generate";
    public const string ImageToVideoPath = "sora-video/v1/video/i2v/generate";

    public static (string Path, PixazoGenerateRequest Body) Map(GenerateVideo command, string defaultModel, Uri callbackUrl)
    {
        var isImage = !string.IsNullOrWhiteSpace(command.Image);
        var body = new PixazoGenerateRequest(
            Prompt: command.Prompt,
            Image: isImage ? command.Image : null,
            Model: string.IsNullOrWhiteSpace(command.Model) ? defaultModel : command.Model,
            Size: command.Size,
            Seconds: command.Seconds,
            CallbackUrl: callbackUrl.AbsoluteUri);
        return (isImage ? ImageToVideoPath : TextToVideoPath, body);
    }
}
