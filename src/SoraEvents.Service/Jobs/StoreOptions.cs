using System.ComponentModel.DataAnnotations;

namespace SoraEvents.Service.Jobs;

public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <summary><c>Sqlite</c> (the embedded default).</summary>
    [Required]
    [RegularExpression("^(Sqlite)$", ErrorMessage = "Store:Provider must be 'Sqlite'.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>A relative <c>Data Source</c> is resolved against the content root; its folder is created.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/soraevents.db";
}
