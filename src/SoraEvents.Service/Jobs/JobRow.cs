using System.Text.Json;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Jobs;

/// <summary>
/// The columns of the <c>jobs</c> table (Dapper matches <c>job_id</c> to <c>JobId</c>) in portable types (text, integers, Unix milliseconds), so the same
/// SQL and mapping serve every store without Provider-specific date handling.
/// </summary>
internal sealed class JobRow
{
    public string JobId { get; set; } = "";
    public string Status { get; set; } = "";
    public string RequestJson { get; set; } = "";
    public string? Provider { get; set; }
    public string? ProviderRequestId { get; set; }
    public long Attempt { get; set; }
    public string? VideoUrlsJson { get; set; }
    public long? ExpiresAt { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorReason { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? SubmittedAt { get; set; }
    public long? FinishedAt { get; set; }
    public string? TerminalMessageId { get; set; }
    public long TerminalPublished { get; set; }
    public long? NextTryAt { get; set; }
    public string? AvoidProvider { get; set; }
    public string? ArchivedLocation { get; set; }
    public long ArchiveAttempts { get; set; }
    public string? Caller { get; set; }
    public long? DeletedAt { get; set; }

    // What a listed job shows of its request, stored apart from it (see MetadataJson).
    public string? Prompt { get; set; }
    public string? Size { get; set; }
    public long? Seconds { get; set; }
    public string? Model { get; set; }
    public long GatewayCalls { get; set; }
    public string? LastGatewayFailure { get; set; }
    public long? NextAttemptAt { get; set; }
    public long AwaitingReplay { get; set; }

    /// <summary>Only in listings, which leave <see cref="RequestJson"/> unread.</summary>
    public string? MetadataJson { get; set; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Job ToJob() => ToJob(JsonSerializer.Deserialize<GenerateVideo>(RequestJson, Json)
                                ?? throw new InvalidDataException($"Job {JobId} has no stored request."));

    /// <summary>A job read without its request body: the request it carries holds its id, prompt, size, seconds, model and metadata.</summary>
    public Job ToListedJob() => ToJob(new GenerateVideo(Guid.Parse(JobId), Prompt ?? "", Size: Size, Seconds: (int?)Seconds, Model: Model,
        Metadata: MetadataJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(MetadataJson, Json)));

    private Job ToJob(GenerateVideo request) => new()
    {
        JobId = Guid.Parse(JobId),
        Status = JobStatuses.Parse(Status),
        Request = request,
        Provider = Provider,
        ProviderRequestId = ProviderRequestId,
        Attempt = (int)Attempt,
        VideoUrls = VideoUrlsJson is null ? [] : JsonSerializer.Deserialize<string[]>(VideoUrlsJson, Json) ?? [],
        ExpiresAt = FromUnixMs(ExpiresAt),
        ErrorCode = ErrorCode,
        ErrorReason = ErrorReason,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt),
        SubmittedAt = FromUnixMs(SubmittedAt),
        FinishedAt = FromUnixMs(FinishedAt),
        TerminalMessageId = TerminalMessageId is null ? null : Guid.Parse(TerminalMessageId),
        TerminalPublished = TerminalPublished != 0,
        NextTryAt = FromUnixMs(NextTryAt),
        AvoidProvider = AvoidProvider,
        ArchivedLocation = ArchivedLocation,
        ArchiveAttempts = (int)ArchiveAttempts,
        Caller = Caller,
        DeletedAt = FromUnixMs(DeletedAt),
        GatewayCalls = (int)GatewayCalls,
        LastGatewayFailure = LastGatewayFailure,
        NextAttemptAt = FromUnixMs(NextAttemptAt),
        AwaitingReplay = AwaitingReplay != 0,
    };

    public static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? ToUnixMs(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    internal static DateTimeOffset? FromUnixMs(long? value) =>
        value is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(value.Value);
}
