using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SoraEvents.Cli;

/// <summary>Durations as people type them (<c>90s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c>, <c>500ms</c>, <c>00:05:00</c>) and points in time.</summary>
internal static partial class Durations
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        var match = DurationPattern().Match(text.Trim());
        if (match.Success)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            duration = match.Groups[2].Value.ToLowerInvariant() switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
            return true;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    /// <summary>An ISO 8601 time (<c>2025-06-01T10:00:00Z</c>; no zone means UTC) or a duration back from now (<c>2h</c>).</summary>
    public static bool TryParseSince(string text, DateTimeOffset now, out DateTimeOffset since)
    {
        if (TryParse(text, out var ago))
        {
            since = now - ago;
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out since);
    }

    /// <summary>For <c>Option&lt;TimeSpan&gt;.CustomParser</c>: a readable parse error instead of an exception.</summary>
    public static TimeSpan ParseOption(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (TryParse(text, out var duration)) return duration;
        result.AddError($"'{text}' is not a duration (e.g. 90s, 5m, 2h, 00:05:00)");
        return default;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();
}
