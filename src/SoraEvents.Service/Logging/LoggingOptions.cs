using System.ComponentModel.DataAnnotations;

namespace SoraEvents.Service.Logging;

/// <summary>Read from the <c>Logging</c> section, next to the usual log level settings.</summary>
public sealed class LoggingOptions
{
    public const string Section = "Logging";

    /// <summary><c>console</c>: readable lines (default). <c>json</c>: one JSON object per line, every property included.</summary>
    [RegularExpression("^(console|json)$", ErrorMessage = "Logging:Format must be 'console' or 'json'.")]
    public string Format { get; set; } = "console";
}
