using System.ComponentModel.DataAnnotations;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers.Apixo;

namespace SoraEvents.Service.Providers;

public sealed class ProvidersOptions
{
    public const string Section = "Providers";

    /// <summary>The gateway tried first when a command names none.</summary>
    [Required]
    [RegularExpression("^(pixazo|apixo)$", ErrorMessage = "Providers:Default must be 'pixazo' or 'apixo'.")]
    public string Default { get; set; } = VideoProviders.Pixazo;

    /// <summary>
    /// Whether a job moves to another capable gateway when its gateway cannot take it (no balance, an uncharged
    /// ERROR, retries exhausted), even when the caller named the gateway.
    /// </summary>
    public bool Failover { get; set; } = true;

    [Required]
    public GatewayOptions Pixazo { get; set; } = new() { BaseUrl = "https://gateway.pixazo.ai" };

    [Required]
    public ApixoOptions Apixo { get; set; } = new();
}
