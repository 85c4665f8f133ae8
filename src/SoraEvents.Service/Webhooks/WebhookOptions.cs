using System.ComponentModel.DataAnnotations;
using SoraEvents.Service.Configuration;

namespace SoraEvents.Service.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// How gateways reach this service, e.g. <c>https://videos.example.com</c>. When empty, the address this
    /// process listens on is used, which is right for loopback and the built-in simulator only.
    /// </summary>
    [OptionalUrl]
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// The secret that per-job callback tokens are derived from, at least 32 characters. Every instance needs
    /// the same one. Empty: a key is generated into <see cref="SigningKeyFile"/>.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Where a generated key is kept when <see cref="SigningKey"/> is empty, relative to the content root.</summary>
    [Required]
    public string SigningKeyFile { get; set; } = "data/webhook-signing.key";

    /// <summary>Larger callback bodies are refused with 413.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// How many stored callbacks one instance works on at once; empty leaves MassTransit's default. A small
    /// value gives the webhook more of a small machine during bursts, at the price of a longer backlog.
    /// </summary>
    [Range(1, 256)]
    public int? ConsumerConcurrency { get; set; }

    /// <summary>
    /// A stored callback that has waited at least this long since it was received (the consumer is behind) yields
    /// to the webhook while the process is saturated, for at most <see cref="MaxYieldMilliseconds"/>; younger ones
    /// never wait, so an event is not held back while the pipeline keeps up. Empty: never yield.
    /// </summary>
    [Range(0, 60_000)]
    public int? YieldWhenBehindMilliseconds { get; set; } = 250;

    /// <summary>The longest one stored callback yields to a saturated webhook before it is worked on anyway.</summary>
    [Range(0, 60_000)]
    public int MaxYieldMilliseconds { get; set; } = 1000;

    /// <summary>How long a callback may wait for the broker's confirm before the gateway is told 503 (retry later).</summary>
    [Range(0.1, 60)]
    public double PublishTimeoutSeconds { get; set; } = 5;
}
