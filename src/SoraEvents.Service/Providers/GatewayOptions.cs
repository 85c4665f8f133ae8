using System.ComponentModel.DataAnnotations;
using SoraEvents.Service.Configuration;

namespace SoraEvents.Service.Providers;

/// <summary>One gateway's connection and limits. With no <see cref="ApiKey"/>, the built-in simulator stands in for it.</summary>
public class GatewayOptions
{
    /// <summary>The gateway root; documented paths hang off it.</summary>
    [OptionalUrl]
    public string? BaseUrl { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>The gateway's model id: the same async pattern serves many models.</summary>
    [Required]
    public string Model { get; set; } = "sora-2-pro";

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Requests per minute allowed across all instances (status queries included); empty = no limit.</summary>
    [Range(1, 100_000)]
    public int? RequestsPerMinute { get; set; }

    /// <summary>Tasks the gateway may work on at once for us, across all instances; empty = no limit.</summary>
    [Range(1, 100_000)]
    public int? ConcurrentTasks { get; set; }

    /// <summary>Seconds after submission of the first status check, should no callback have come.</summary>
    [Range(0.1, 3600)]
    public double PollAfterSeconds { get; set; } = 5;

    /// <summary>Seconds between status checks after the first.</summary>
    [Range(0.1, 3600)]
    public double PollEverySeconds { get; set; } = 7;

    /// <summary>
    /// How long the gateway usually takes to make a video, from which the API estimates a job's <c>progress</c>.
    /// APIXO documents about three minutes; Pixazo documents no figure, so it gets the same.
    /// </summary>
    [Range(1, 86_400)]
    public double TypicalSeconds { get; set; } = 180;

    public bool UsesSimulator => string.IsNullOrWhiteSpace(ApiKey);

    public PollSchedule Polling => new(TimeSpan.FromSeconds(PollAfterSeconds), TimeSpan.FromSeconds(PollEverySeconds));

    public GatewayLimits Limits => new(RequestsPerMinute, ConcurrentTasks);
}
