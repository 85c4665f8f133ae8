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
    /// While at least this many callbacks are being received at once, stored callbacks wait (see
    /// <see cref="MaxYieldMilliseconds"/>) so that answering gateways comes first. Empty: never wait.
    /// </summary>
    [Range(1, 100_000)]
    public int? YieldAboveReceiving { get; set; } = 16;

    /// <summary>The longest one stored callback waits for the webhook to calm down before it is worked on anyway.</summary>
    [Range(0, 60_000)]
    public int MaxYieldMilliseconds { get; set; } = 1000;

    /// <summary>How long a callback may wait for the broker's confirm before the gateway is told 503 (retry later).</summary>
    [Range(0.1, 60)]
    public double PublishTimeoutSeconds { get; set; } = 5;
}
