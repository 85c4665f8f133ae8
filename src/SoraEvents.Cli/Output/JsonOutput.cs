using System.Text.Encodings.Web;
using System.Text.Json;

namespace SoraEvents.Cli.Output;

/// <summary>What <c>--json</c> prints: camelCase, readable characters left unescaped.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>One document, indented.</summary>
    public static Task WriteAsync(TextWriter writer, object value) =>
        writer.WriteLineAsync(JsonSerializer.Serialize(value, Indented));

    /// <summary>One object on one line (JSON Lines), for streams.</summary>
    public static Task WriteLineAsync(TextWriter writer, object value) =>
        writer.WriteLineAsync(JsonSerializer.Serialize(value, Compact));

    /// <summary>A JSON text re-indented for people; anything that is not JSON comes back as it is.</summary>
    public static string Pretty(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
