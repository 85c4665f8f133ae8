using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Pixazo;

/// <summary>
/// The universal status body of <c>GET /v2/requests/status/{request_id}</c>, which is also the
/// document's only webhook body for failures.
/// </summary>
internal sealed record StatusBody(
    string RequestId,
    string Status,
    string ModelId,
    string? Error,
    StatusOutput? Output,
    string CreatedAt,
    string UpdatedAt,
    string? CompletedAt)
{
    public static StatusBody For(SimulatedRequest request, SimulatedJobStatus status)
    {
        var finished = status is SimulatedJobStatus.Completed or SimulatedJobStatus.Failed or SimulatedJobStatus.Error;
        var updatedAt = finished ? request.FinishesAt : status == SimulatedJobStatus.Processing ? request.ProcessingAt : request.AcceptedAt;
        return new StatusBody(
            RequestId: request.RequestId,
            Status: PixazoWire.Status(status),
            ModelId: PixazoWire.ModelFamily,
            Error: finished ? request.Error : null,
            Output: status == SimulatedJobStatus.Completed ? new StatusOutput([request.MediaUrl], "video/mp4") : null,
            CreatedAt: PixazoWire.Timestamp(request.AcceptedAt),
            UpdatedAt: PixazoWire.Timestamp(updatedAt),
            CompletedAt: finished ? PixazoWire.Timestamp(request.FinishesAt) : null);
    }
}
