using SoraEvents.Contracts;

namespace SoraEvents.Service.Providers;

/// <summary>
/// Gateways report content and image problems only in prose, so the failure code is read from the words.
/// The fallback applies when the text names neither.
/// </summary>
public static class FailureMessages
{
    private static readonly string[] ContentWords = ["policy", "violat", "moderation", "safety", "inappropriate"];
    private static readonly string[] ImageWords = ["image", "dimension", "resolution of the input"];

    public static string Classify(string? message, string fallbackCode)
    {
        if (string.IsNullOrWhiteSpace(message)) return fallbackCode;
        if (ContentWords.Any(w => message.Contains(w, StringComparison.OrdinalIgnoreCase))) return VideoFailureCodes.ContentViolation;
        if (ImageWords.Any(w => message.Contains(w, StringComparison.OrdinalIgnoreCase))) return VideoFailureCodes.InvalidImage;
        return fallbackCode;
    }
}
