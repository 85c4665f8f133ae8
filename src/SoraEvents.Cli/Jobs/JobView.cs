using System.Text.Json;
using SoraEvents.Cli.Output;

namespace SoraEvents.Cli.Jobs;

/// <summary>The service's job view (GET /v1/videos/{jobId}), read leniently: a field the API drops is left empty.</summary>
internal sealed class JobView(JsonElement json)
{
    public string JobId => String("jobId") ?? "";

    public string Status => String("status") ?? "";

    public string? Provider => String("provider");

    public string? ProviderRequestId => String("providerRequestId");

    public string? VideoUrl => String("videoUrl");

    public int? Attempt => json.TryGetProperty("attempt", out var a) && a.TryGetInt32(out var n) ? n : null;

    public string? ErrorCode => Error("code");

    public string? ErrorReason => Error("reason");

    public DateTimeOffset? CreatedAt => Time("createdAt");

    public DateTimeOffset? SubmittedAt => Time("submittedAt");

    public DateTimeOffset? FinishedAt => Time("finishedAt");

    public DateTimeOffset? ExpiresAt => Time("expiresAt");

    public string? ArchivedLocation => String("archivedLocation");

    public bool IsTerminal => Status is "completed" or "failed";

    /// <summary>The video URL, or the error as "code: reason".</summary>
    public string Result => VideoUrl ?? (ErrorCode is null ? "" : $"{ErrorCode}: {ErrorReason}");

    public IEnumerable<string> Metadata =>
        json.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
            ? m.EnumerateObject().Select(p => $"{p.Name}={p.Value}")
            : [];

    private string? String(string name) =>
        json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private DateTimeOffset? Time(string name) =>
        json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out var t) ? t : null;

    private string? Error(string name) =>
        json.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.GetString() : null;
}

internal static class JobPrinter
{
    public static void Print(TextWriter output, JobView job) =>
        new Fields()
            .Add("job", job.JobId)
            .Add("status", job.Status)
            .Add("provider", job.Provider is null ? null : job.ProviderRequestId is null ? job.Provider : $"{job.Provider} ({job.ProviderRequestId})")
            .Add("attempt", job.Attempt?.ToString())
            .Add("created", Text.Time(job.CreatedAt))
            .Add("submitted", Text.Time(job.SubmittedAt))
            .Add("finished", Text.Time(job.FinishedAt))
            .Add("video", job.VideoUrl)
            .Add("expires", Text.Time(job.ExpiresAt))
            .Add("archived", job.ArchivedLocation)
            .Add("error", job.ErrorCode is null ? null : $"{job.ErrorCode}: {job.ErrorReason}")
            .Add("metadata", string.Join(", ", job.Metadata))
            .WriteTo(output);
}
