using System.Text.Json.Serialization;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Pixazo;

/// <summary>The "Check Video Result" body of <c>POST /sora-video/v1/video/result</c>, also one of the callback shapes.</summary>
internal sealed record ResultBody(
    string Id,
    string Status,
    string Model,
    string Prompt,
    long CreatedAt,
    long? CompletedAt,
    string? VideoUrl,
    ResultMetadata Metadata,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error)
{
    // The gateway polls the upstream model about every 30 seconds; the document's 155 s job shows 5 attempts.
    private const int UpstreamPollSeconds = 30;

    public static ResultBody For(SimulatedRequest request, SimulatedJobStatus status, DateTimeOffset now)
    {
        var finished = status is SimulatedJobStatus.Completed or SimulatedJobStatus.Failed or SimulatedJobStatus.Error;
        var elapsed = (finished ? request.FinishesAt : now) - request.AcceptedAt;
        var elapsedSeconds = (int)Math.Round(Math.Max(0, elapsed.TotalSeconds));
        return new ResultBody(
            Id: request.VideoId ?? throw new InvalidOperationException($"{request.RequestId} has no video id: only Pixazo requests have a result body."),
            Status: PixazoWire.ResultStatus(status),
            Model: request.Model,
            Prompt: request.Prompt,
            CreatedAt: PixazoWire.UnixMilliseconds(request.AcceptedAt),
            CompletedAt: finished ? PixazoWire.UnixMilliseconds(request.FinishesAt) : null,
            VideoUrl: status == SimulatedJobStatus.Completed ? request.MediaUrl : null,
            Metadata: new ResultMetadata(Math.Max(1, elapsedSeconds / UpstreamPollSeconds), elapsedSeconds),
            Error: finished ? request.Error : null);
    }
}
