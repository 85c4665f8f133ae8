namespace SoraEvents.Service.Videos;

/// <summary>Settings of the OpenAI-compatible video API under <c>Api</c> (keys and limits live with the authentication).</summary>
public sealed class VideoApiOptions
{
    public const string Section = "Api";

    /// <summary>
    /// Model ids callers may send in place of a served one, mapped to it: <c>Api__ModelAliases__sora-2=sora-2-pro</c>
    /// lets code written for OpenAI's <c>sora-2</c> run on the gateways' Sora 2 Pro.
    /// </summary>
    public Dictionary<string, string> ModelAliases { get; set; } = new(StringComparer.Ordinal);
}
