namespace SoraEvents.Simulator.State;

/// <summary>Whether a request makes a video from text alone or from input images.</summary>
public enum RequestKind
{
    /// <summary>Pixazo <c>POST /sora-video/v1/video/generate</c>; APIXO <c>input.mode = text-to-video</c>.</summary>
    Text,

    /// <summary>Pixazo <c>POST /sora-video/v1/video/i2v/generate</c>; APIXO <c>input.mode = image-to-video</c>.</summary>
    Image,
}
