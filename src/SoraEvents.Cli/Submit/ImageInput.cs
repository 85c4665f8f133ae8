namespace SoraEvents.Cli.Submit;

/// <summary><c>--image</c>: an http(s) URL or a <c>data:</c> URI as given, or a local JPEG/PNG/WebP file sent as a data URI.</summary>
internal static class ImageInput
{
    private const long MaxFileBytes = 10 * 1024 * 1024;

    public static string? Resolve(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.Trim();
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return text;
        if (!File.Exists(text))
            throw new CliException($"--image: '{text}' is neither an http(s) URL, a data: URI nor an image file", ExitCodes.Usage);
        var info = new FileInfo(text);
        if (info.Length > MaxFileBytes) throw new CliException($"--image: {text} is larger than 10 MB", ExitCodes.Usage);
        var bytes = File.ReadAllBytes(text);
        var mime = Sniff(bytes) ?? throw new CliException($"--image: {text} is not a JPEG, PNG or WebP image", ExitCodes.Usage);
        return $"data:{mime};base64,{Convert.ToBase64String(bytes)}";
    }

    private static string? Sniff(byte[] b) =>
        b.Length >= 8 && b[0] == 0x89 && b[1] == 0x50 && b[2] == 0x4E && b[3] == 0x47 ? "image/png"
        : b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
        : b.Length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P' ? "image/webp"
        : null;
}
