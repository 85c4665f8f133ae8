using System.ComponentModel.DataAnnotations;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Providers;

public sealed class ProvidersOptions
{
    public const string Section = "Providers";

    /// <summary>The gateway used when a command names none.</summary>
    [Required]
    [RegularExpression("^(pixazo)$", ErrorMessage = "Providers:Default must be 'pixazo'.")]
    public string Default { get; set; } = VideoProviders.Pixazo;

    [Required]
    public ProviderOptions Pixazo { get; set; } = new() { BaseUrl = "https://gateway.pixazo.ai" };
}
