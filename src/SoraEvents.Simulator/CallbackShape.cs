namespace SoraEvents.Simulator;

/// <summary>
/// The body a completed job's callback carries. Pixazo does not document its callback body,
/// so a receiver has to accept every shape the document shows.
/// </summary>
public enum CallbackShape
{
    /// <summary>The universal status body: <c>{request_id, status, model_id, error, output, created_at, updated_at, completed_at}</c>.</summary>
    Status,

    /// <summary>The "Check Video Result" body: <c>{id, status, model, prompt, created_at, completed_at, video_url, metadata}</c>.</summary>
    Result,

    /// <summary>Status for the first accepted request, Result for the second, and so on.</summary>
    Alternate,
}
