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

    public int? GatewayCalls => json.TryGetProperty("gatewayCalls", out var c) && c.TryGetInt32(out var n) ? n : null;

    public string? LastGatewayFailure => String("lastGatewayFailure");

    public DateTimeOffset? NextAttemptAt => Time("nextAttemptAt");

    public string? WaitingFor => String("waitingFor");

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
        DateTimeOffset? At(string name) => Field(name) is { } s && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : null;
        var line = $"{Field("provider")} {Text.Time(At("startedAt"))} – {(At("endedAt") is { } end ? Text.Time(end) : "now")}";
        return Field("leftBecause") is { } why ? $"{line}: left because {why}" : line;
    }

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
            .Add("calls", job.GatewayCalls is > 0 ? job.GatewayCalls.ToString() : null)
            .Add("last failure", job.LastGatewayFailure)
            .Add("next attempt", Text.Time(job.NextAttemptAt))
            .Add("waiting for", job.WaitingFor)
            .Add("attempts", string.Join(Environment.NewLine, job.Attempts))
            .Add("metadata", string.Join(", ", job.Metadata))
            .WriteTo(output);
}
