using System.Globalization;
using System.Text.Json;
using SoraEvents.Contracts;
using SoraEvents.Service.Submission;

namespace SoraEvents.Service.Messaging;

/// <summary>
/// Reads a <see cref="GenerateVideo"/> from the bus as leniently as <c>POST /v1/videos</c> reads one: a number may
/// come as a string (<c>"seconds": "8"</c> is 8). Any other wrong type is a problem naming its field, never an
/// exception, so the command can still be answered for its job.
/// </summary>
public static class CommandReader
{
    /// <summary>Field names as the contract spells them; the body may use any letter case, as MassTransit allows.</summary>
    private static readonly string[] TextFields = ["prompt", "image", "size", "resolution", "provider", "model"];

    public static CommandReading Read(JsonElement command)
    {
        if (command.ValueKind != JsonValueKind.Object)
            return new CommandReading(null, null, [$"the command must be a JSON object; got {Describe(command)}."], false, null);

        Guid? jobId = null;
        var texts = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        int? seconds = null;
        Dictionary<string, string>? metadata = null;
        var problems = new List<string>();
        var rewritten = false;

        foreach (var property in command.EnumerateObject())
        {
            var value = property.Value;
            if (Is(property, "jobId"))
            {
                jobId = null;
                if (value.ValueKind == JsonValueKind.String && value.TryGetGuid(out var id)) jobId = id;
                else if (value.ValueKind != JsonValueKind.Null) problems.Add($"jobId must be a GUID string; got {Describe(value)}.");
            }
            else if (TextFields.FirstOrDefault(f => Is(property, f)) is { } field)
            {
                if (value.ValueKind is JsonValueKind.String or JsonValueKind.Null) texts[field] = value.GetString();
                else problems.Add($"{field} must be a string; got {Describe(value)}.");
            }
            else if (Is(property, "seconds"))
            {
                seconds = null;
                if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var whole)) seconds = whole;
                else if (value.ValueKind == JsonValueKind.String
                         && int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out whole))
                {
                    seconds = whole;
                    rewritten = true;
                }
                else if (value.ValueKind != JsonValueKind.Null)
                    problems.Add($"seconds must be a whole number of seconds; got {Describe(value)}.");
            }
            else if (Is(property, "metadata"))
            {
                metadata = null;
                if (value.ValueKind == JsonValueKind.Object) metadata = ReadMetadata(value, problems);
                else if (value.ValueKind != JsonValueKind.Null)
                    problems.Add($"metadata must be an object whose values are strings; got {Describe(value)}.");
            }
            // Fields the contract does not have are ignored, as MassTransit ignores them.
        }

        var read = problems.Count > 0 ? null : new GenerateVideo(jobId ?? Guid.Empty, texts.GetValueOrDefault("prompt")!,
            texts.GetValueOrDefault("image"), texts.GetValueOrDefault("size"), seconds, texts.GetValueOrDefault("resolution"),
            texts.GetValueOrDefault("provider"), texts.GetValueOrDefault("model"), metadata);
        return new CommandReading(jobId, read, problems, rewritten, metadata);
    }

    /// <summary>Metadata that may be echoed on this job's events: within the validator's bounds, or none.</summary>
    public static IReadOnlyDictionary<string, string>? Echoable(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.Count <= GenerateVideoValidator.MaxMetadataEntries
                             && metadata.All(e => e.Key.Length is > 0 and <= 100 && (e.Value?.Length ?? 0) <= 2000)
            ? metadata
            : null;

    private static Dictionary<string, string>? ReadMetadata(JsonElement value, List<string> problems)
    {
        var metadata = new Dictionary<string, string>();
        var wrong = value.EnumerateObject().FirstOrDefault(e => e.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null));
        if (wrong.Value.ValueKind != JsonValueKind.Undefined)
        {
            problems.Add($"metadata values must be strings; '{Clip(wrong.Name)}' is {Describe(wrong.Value)}.");
            return null;
        }
        foreach (var entry in value.EnumerateObject()) metadata[entry.Name] = entry.Value.GetString()!;
        return metadata;
    }

    private static bool Is(JsonProperty property, string field) => string.Equals(property.Name, field, StringComparison.OrdinalIgnoreCase);

    /// <summary>The kind of value and, for scalars, a short piece of it: enough to find the mistake, never a whole prompt.</summary>
    internal static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => $"the number {Clip(value.GetRawText())}",
        JsonValueKind.String => $"the string \"{Clip(value.GetString()!)}\"",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Clip(string text) => text.Length <= 24 ? text : text[..24] + "…";
}

/// <summary>
/// What <see cref="CommandReader"/> made of a body: the command when it could be read (<see cref="Rewritten"/> when a
/// value had to be converted on the way), otherwise every problem; the job id and metadata whenever they were readable.
/// </summary>
public sealed record CommandReading(
    Guid? JobId,
    GenerateVideo? Command,
    IReadOnlyList<string> Problems,
    bool Rewritten,
    IReadOnlyDictionary<string, string>? Metadata);
