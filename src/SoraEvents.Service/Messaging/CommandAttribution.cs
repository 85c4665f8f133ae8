using System.Text.Json;
using SoraEvents.Service.Submission;

namespace SoraEvents.Service.Messaging;

/// <summary>
/// Finds whose command a body is without reading it whole: one forward pass over the bytes that keeps only the
/// job id and small metadata, at the top level (a bare command) or inside <c>message</c> (an envelope). It works on
/// bodies too large to parse and on broken JSON up to the point where it breaks.
/// </summary>
public static class CommandAttribution
{
    private const int MaxNameBytes = 64;
    private const int MaxMetadataValueBytes = 8 * 1024;

    public static (Guid? JobId, IReadOnlyDictionary<string, string>? Metadata) Scan(ReadOnlySpan<byte> utf8)
    {
        var top = new Found();
        var inner = new Found();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject) ScanObject(ref reader, top, inner);
        }
        catch (JsonException)
        {
            // Broken JSON: what was read before the break still says whose command it is.
        }
        var found = top.IsEnvelope || (top.JobId is null && inner.JobId is not null) ? inner : top;
        return (found.JobId, CommandReader.Echoable(found.Metadata));
    }

    private static void ScanObject(ref Utf8JsonReader reader, Found found, Found? message)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan.Length <= MaxNameBytes && !reader.HasValueSequence ? reader.GetString() : null;
            if (!reader.Read()) return;
            if (Is(name, "jobId") && reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length <= MaxNameBytes)
                found.JobId = reader.TryGetGuid(out var id) ? id : null;
            else if (Is(name, "metadata") && reader.TokenType == JsonTokenType.StartObject)
                found.Metadata = ReadMetadata(ref reader);
            else if (message is not null && Is(name, "message") && reader.TokenType == JsonTokenType.StartObject)
                ScanObject(ref reader, message, null);
            else
            {
                if (message is not null && Is(name, "messageType")) found.IsEnvelope = true;
                reader.Skip();
            }
        }
    }

    private static Dictionary<string, string>? ReadMetadata(ref Utf8JsonReader reader)
    {
        var metadata = new Dictionary<string, string>();
        var usable = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var small = reader.ValueSpan.Length <= MaxMetadataValueBytes;
            var key = small ? reader.GetString() : null;
            if (!reader.Read()) return null;
            if (usable && key is not null && reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length <= MaxMetadataValueBytes
                && metadata.Count <= GenerateVideoValidator.MaxMetadataEntries)
                metadata[key] = reader.GetString()!;
            else
                usable = false;
            reader.Skip();
        }
        return usable ? metadata : null;
    }

    private static bool Is(string? name, string field) => string.Equals(name, field, StringComparison.OrdinalIgnoreCase);

    private sealed class Found
    {
        public Guid? JobId { get; set; }
        public Dictionary<string, string>? Metadata { get; set; }
        public bool IsEnvelope { get; set; }
    }
}
