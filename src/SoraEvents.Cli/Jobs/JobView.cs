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

    public int? GatewayCalls => json.TryGetProperty("gateway_calls", out var c) && c.TryGetInt32(out var n) ? n : null;

    public string? LastGatewayFailure => String("last_gateway_failure");

    public DateTimeOffset? NextAttemptAt => Time("next_attempt_at");

    public string? WaitingFor => String("waiting_for");

    /// <summary>Each gateway the job went to, one line each: gateway, from–to, and why it left.</summary>
    public IEnumerable<string> Attempts =>
        json.TryGetProperty("attempts", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(DescribeAttempt)
            : [];

    public bool IsTerminal => Status is "completed" or "failed";

    /// <summary>The video URL, or the error as "code: reason".</summary>
    public string Result => VideoUrl ?? (ErrorCode is null ? "" : $"{ErrorCode}: {ErrorReason}");

    public IEnumerable<string> Metadata =>
        json.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
            ? m.EnumerateObject().Select(p => $"{p.Name}={p.Value}")
            : [];

    private static string DescribeAttempt(JsonElement attempt)
    {
        string? Field(string name) => attempt.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        DateTimeOffset? At(string name) => attempt.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        var line = $"{Field("provider")} {Text.Time(At("started_at"))} – {(At("ended_at") is { } end ? Text.Time(end) : "now")}";
        return Field("left_because") is { } why ? $"{line}: left because {why}" : line;
    }

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
            .Add("calls", job.GatewayCalls is > 0 ? job.GatewayCalls.ToString() : null)
            .Add("last failure", job.LastGatewayFailure)
            .Add("next attempt", Text.Time(job.NextAttemptAt))
            .Add("waiting for", job.WaitingFor)
            .Add("attempts", string.Join(Environment.NewLine, job.Attempts))
            .Add("metadata", string.Join(", ", job.Metadata))
            .WriteTo(output);
}
