using System.Text.Json;
using SoraEvents.Cli.Output;

namespace SoraEvents.Cli.Jobs;

/// <summary>The service's Video object (GET /v1/videos/{id}), read leniently: a field the API drops is left empty.</summary>
internal sealed class JobView(JsonElement json)
{
    public string JobId => String("id") ?? "";

    /// <summary>queued, in_progress, completed or failed.</summary>
    public string Status => String("status") ?? "";

    public int? Progress => json.TryGetProperty("progress", out var p) && p.TryGetInt32(out var n) ? n : null;

    public string? Provider => String("provider");

    public string? ProviderRequestId => LastAttempt("provider_request_id") is { ValueKind: JsonValueKind.String } id ? id.GetString() : null;

    public string? VideoUrl => String("video_url");

    public int? Attempt => LastAttempt("attempt") is { } a && a.TryGetInt32(out var n) ? n : null;

    public string? ErrorCode => Error("code");

    public string? ErrorReason => Error("message");

    public DateTimeOffset? CreatedAt => Time("created_at");

    public DateTimeOffset? FinishedAt => Time("completed_at");

    public DateTimeOffset? ExpiresAt => Time("expires_at");

    public string? ArchivedLocation => String("archived_location");

    public bool IsTerminal => Status is "completed" or "failed";

    /// <summary>The video URL, or the error as "code: reason".</summary>
    public string Result => VideoUrl ?? (ErrorCode is null ? "" : $"{ErrorCode}: {ErrorReason}");

    public IEnumerable<string> Metadata =>
        json.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
            ? m.EnumerateObject().Select(p => $"{p.Name}={p.Value}")
            : [];

    private string? String(string name) =>
        json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Unix seconds, as OpenAI's Video object carries times.</summary>
    private DateTimeOffset? Time(string name) =>
        json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private JsonElement? LastAttempt(string name) =>
        json.TryGetProperty("attempts", out var a) && a.ValueKind == JsonValueKind.Array && a.GetArrayLength() > 0
        && a[a.GetArrayLength() - 1].TryGetProperty(name, out var v) ? v : null;

    private string? Error(string name) =>
        json.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.GetString() : null;
}

internal static class JobPrinter
{
    public static void Print(TextWriter output, JobView job) =>
        new Fields()
            .Add("job", job.JobId)
            .Add("status", job.Status)
            .Add("progress", job.Progress is { } p ? $"{p}%" : null)
            .Add("provider", job.Provider is null ? null : job.ProviderRequestId is null ? job.Provider : $"{job.Provider} ({job.ProviderRequestId})")
            .Add("attempt", job.Attempt?.ToString())
            .Add("created", Text.Time(job.CreatedAt))
            .Add("completed", Text.Time(job.FinishedAt))
            .Add("video", job.VideoUrl)
            .Add("expires", Text.Time(job.ExpiresAt))
            .Add("archived", job.ArchivedLocation)
            .Add("error", job.ErrorCode is null ? null : $"{job.ErrorCode}: {job.ErrorReason}")
            .Add("metadata", string.Join(", ", job.Metadata))
            .WriteTo(output);
}
