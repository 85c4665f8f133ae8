using System.ComponentModel.DataAnnotations;

namespace SoraEvents.Service.Messaging;

public sealed class BusOptions
{
    public const string Section = "Bus";

    /// <summary><c>InMemory</c> (embedded default, single process) or <c>RabbitMq</c>.</summary>
    [Required]
    [RegularExpression("^(InMemory|RabbitMq)$", ErrorMessage = "Bus:Transport must be 'InMemory' or 'RabbitMq'.")]
    public string Transport { get; set; } = "InMemory";

    public bool UsesRabbitMq => string.Equals(Transport, "RabbitMq", StringComparison.OrdinalIgnoreCase);
}
