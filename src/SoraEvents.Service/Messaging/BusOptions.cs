using System.ComponentModel.DataAnnotations;

namespace SoraEvents.Service.Messaging;

public sealed class BusOptions
{
    public const string Section = "Bus";

    /// <summary><c>InMemory</c> (embedded default, single process) or <c>RabbitMq</c>.</summary>
    [Required]
    [RegularExpression("^(InMemory|RabbitMq)$", ErrorMessage = "Bus:Transport must be 'InMemory' or 'RabbitMq'.")]
    public string Transport { get; set; } = "InMemory";

    /// <summary>
    /// MassTransit 8.4 reports anonymous usage telemetry to usage-tracking.masstransit.io about five minutes after
    /// start. Off unless this is true (<c>Bus__UsageTelemetry=true</c>); MassTransit's own
    /// <c>MASSTRANSIT_USAGE_TELEMETRY</c> variable, when set, still has the last word.
    /// </summary>
    public bool UsageTelemetry { get; set; }

    /// <summary>
    /// How long <c>POST /v1/videos</c> waits for the broker's confirm of the job's command before answering anyway:
    /// the job is already stored with a due time, so the dispatcher submits it if the command never arrives.
    /// </summary>
    [Range(0.1, 60)]
    public double PublishTimeoutSeconds { get; set; } = 5;

    public TimeSpan PublishTimeout => TimeSpan.FromSeconds(PublishTimeoutSeconds);

    public bool UsesRabbitMq => string.Equals(Transport, "RabbitMq", StringComparison.OrdinalIgnoreCase);
}
