namespace SoraEvents.Simulator.Apixo;

/// <summary>The values the APIXO document allows in a generate body.</summary>
internal static class ApixoInputRules
{
    public const string Async = "async";

    public const string Callback = "callback";

    public const string TextToVideo = "text-to-video";

    public const string ImageToVideo = "image-to-video";

    public const string OfficialRoute = "official";

    /// <summary>"When using provider=official, only 12-second output is supported."</summary>
    public const int OfficialSeconds = 12;

    /// <summary>The document names no default duration; 10 is its "standard clip" and its example's value.</summary>
    public const int DefaultSeconds = 10;

    public static readonly IReadOnlyList<string> RequestTypes = [Async, Callback];

    public static readonly IReadOnlyList<string> Routes = ["auto", "value", OfficialRoute];

    public static readonly IReadOnlyList<string> Modes = [TextToVideo, ImageToVideo];

    public static readonly IReadOnlyList<int> Durations = [10, 15];

    /// <summary>Text-to-video sizes, written with an asterisk where Pixazo writes an x.</summary>
    public static readonly IReadOnlyList<string> Sizes = ["720*1280", "1280*720", "1024*1792", "1792*1024"];

    /// <summary>Image-to-video resolutions.</summary>
    public static readonly IReadOnlyList<string> Resolutions = ["720p", "1080p"];
}
