using System.Globalization;
using System.Text;

namespace SoraEvents.Cli.Output;

internal static class Text
{
    /// <summary>Whitespace and line breaks collapsed to single spaces; cut with an ellipsis past <paramref name="max"/>.</summary>
    public static string OneLine(string? text, int max = int.MaxValue)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space) builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        var line = builder.ToString();
        return line.Length <= max ? line : line[..Math.Max(0, max - 1)] + "…";
    }

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    public static string Count(long count, string one, string many) => $"{count} {(count == 1 ? one : many)}";
}
