namespace SoraEvents.Contracts;

/// <summary>The gateway names used in <see cref="GenerateVideo.Provider"/> and on every event.</summary>
public static class VideoProviders
{
    /// <summary>The Pixazo Sora Video API.</summary>
    public const string Pixazo = "pixazo";

    /// <summary>The APIXO Sora 2 Pro API.</summary>
    public const string Apixo = "apixo";
}
