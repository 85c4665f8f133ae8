namespace SoraEventsConsumer;

/// <summary>The one video this example asks for (configuration section <c>Video</c>, e.g. <c>Video__Prompt</c>).</summary>
public sealed class VideoRequestOptions
{
    public const string Section = "Video";

    /// <summary>The job id to use; a new one when absent.</summary>
    public Guid? JobId { get; set; }

    public string Prompt { get; set; } = "A paper boat drifting down a rainy street";

    public string Size { get; set; } = "1280x720";

    public int Seconds { get; set; } = 4;

    /// <summary>How long to wait for the outcome: a real gateway takes about three minutes.</summary>
    public TimeSpan Patience { get; set; } = TimeSpan.FromMinutes(10);
}
