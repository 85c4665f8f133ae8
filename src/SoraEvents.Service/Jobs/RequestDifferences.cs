using SoraEvents.Contracts;

namespace SoraEvents.Service.Jobs;

/// <summary>
/// Which fields of a second request for a job differ from the request the job was created with, by their JSON
/// names. The job id is not compared: it is what makes them requests for the same job.
/// </summary>
public static class RequestDifferences
{
    public static IReadOnlyList<string> Between(GenerateVideo stored, GenerateVideo incoming)
    {
        var fields = new List<string>();
        if (!Same(stored.Prompt, incoming.Prompt)) fields.Add("prompt");
        if (!Same(stored.Image, incoming.Image)) fields.Add("image");
        if (!Same(stored.Size, incoming.Size)) fields.Add("size");
        if (stored.Seconds != incoming.Seconds) fields.Add("seconds");
        if (!Same(stored.Resolution, incoming.Resolution)) fields.Add("resolution");
        if (!Same(stored.Provider, incoming.Provider)) fields.Add("provider");
        if (!Same(stored.Model, incoming.Model)) fields.Add("model");
        if (!SameMetadata(stored.Metadata, incoming.Metadata)) fields.Add("metadata");
        return fields;
    }

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.Ordinal);

    /// <summary>No metadata and empty metadata are the same request.</summary>
    private static bool SameMetadata(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        a ??= new Dictionary<string, string>();
        b ??= new Dictionary<string, string>();
        return a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var value) && Same(e.Value, value));
    }
}
