namespace SoraEvents.Simulator.State;

/// <summary>Which generate endpoint accepted a request.</summary>
public enum RequestKind
{
    /// <summary><c>POST /sora-video/v1/video/generate</c>.</summary>
    Text,

    /// <summary><c>POST /sora-video/v1/video/i2v/generate</c>.</summary>
    Image,
}
