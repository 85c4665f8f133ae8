namespace SoraEvents.Simulator.Apixo;

/// <summary>The <c>failCode</c> values the APIXO document lists, and the <c>failMsg</c> each fails with.</summary>
internal static class ApixoFailCodes
{
    public const string ContentViolation = "CONTENT_VIOLATION";

    public const string InvalidImageUrl = "INVALID_IMAGE_URL";

    // CONTENT_VIOLATION's message is the document's failed example; the other is its fail-code table's description.
    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        [ContentViolation] = "Content does not meet safety guidelines",
        [InvalidImageUrl] = "Cannot access provided image URL",
    };

    public static IReadOnlyList<string> All { get; } = [ContentViolation, InvalidImageUrl];

    /// <summary>The fail code as the document spells it, whatever case it was asked for in; null when unknown.</summary>
    public static string? Find(string code) =>
        All.FirstOrDefault(known => known.Equals(code, StringComparison.OrdinalIgnoreCase));

    public static string MessageFor(string code) => Messages[code];
}
