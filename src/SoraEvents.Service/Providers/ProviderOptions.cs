using System.ComponentModel.DataAnnotations;

namespace SoraEvents.Service.Providers;

/// <summary>One gateway's connection. With no <see cref="ApiKey"/>, the built-in simulator stands in for it.</summary>
public sealed class ProviderOptions
{
    /// <summary>The gateway root; documented paths hang off it.</summary>
    [Url]
    public string? BaseUrl { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>The gateway's model id: the same async pattern serves many models.</summary>
    [Required]
    public string Model { get; set; } = "sora-2-pro";

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    public bool UsesSimulator => string.IsNullOrWhiteSpace(ApiKey);
}
