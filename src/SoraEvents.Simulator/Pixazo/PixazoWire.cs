using System.Globalization;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Pixazo;

/// <summary>How Pixazo writes values that have no JSON type of their own.</summary>
internal static class PixazoWire
{
    /// <summary>The request_id prefix and the model_id of the universal status body, as the document shows them.</summary>
    public const string ModelFamily = "sora-video";

    public const string SupportedModel = "sora-2-pro";

    public const string SubscriptionKeyHeader = "Ocp-Apim-Subscription-Key";

    public const string WebhookHeader = "X-Webhook-URL";

    public static string Status(SimulatedJobStatus status) => status switch
    {
        SimulatedJobStatus.Queued => "QUEUED",
        SimulatedJobStatus.Processing => "PROCESSING",
        SimulatedJobStatus.Completed => "COMPLETED",
        SimulatedJobStatus.Failed => "FAILED",
        SimulatedJobStatus.Error => "ERROR",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The result endpoint only knows three words; everything unfinished is still "processing" there.</summary>
    public static string ResultStatus(SimulatedJobStatus status) => status switch
    {
        SimulatedJobStatus.Completed => "completed",
        SimulatedJobStatus.Failed or SimulatedJobStatus.Error => "failed",
        _ => "processing",
    };

    /// <summary>The status body's timestamps look like <c>2026-03-31T10:00:00.000Z</c>.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The result body's timestamps are Unix milliseconds.</summary>
    public static long UnixMilliseconds(DateTimeOffset value) => value.ToUnixTimeMilliseconds();
}
