using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SoraEvents.Service.Jobs;

public sealed class StoreOptions : IValidatableObject
{
    public const string Section = "Store";
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary><c>Sqlite</c> (the embedded default: one file, one host) or <c>Postgres</c> (several instances on one database).</summary>
    [Required]
    [RegularExpression("^(Sqlite|Postgres)$", ErrorMessage = "Store:Provider must be 'Sqlite' or 'Postgres'.")]
    public string Provider { get; set; } = Sqlite;

    /// <summary>
    /// SQLite: a relative <c>Data Source</c> is resolved against the content root; its folder is created.
    /// Postgres: an Npgsql connection string (<c>Host=…;Port=5432;Database=…;Username=…;Password=…</c>); the database must exist,
    /// the schema is created and migrated at start.
    /// </summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/soraevents.db";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The messages never repeat the connection string: it may hold a password.
        string? problem = null;
        try
        {
            if (Provider == Postgres)
            {
                var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                    problem = "Store:ConnectionString must be an Npgsql connection string naming a Host (Host=…;Database=…;Username=…;Password=…) when Store:Provider is 'Postgres'.";
            }
            else if (Provider == Sqlite && string.IsNullOrWhiteSpace(new SqliteConnectionStringBuilder(ConnectionString).DataSource))
            {
                problem = "Store:ConnectionString must name a Data Source when Store:Provider is 'Sqlite'.";
            }
        }
        catch (ArgumentException ex)
        {
            problem = Provider == Postgres
                ? $"Store:ConnectionString is not an Npgsql connection string ({ex.Message}); with Store:Provider 'Postgres' it looks like Host=…;Port=5432;Database=…;Username=…;Password=…"
                : $"Store:ConnectionString is not a SQLite connection string ({ex.Message}); it looks like Data Source=data/soraevents.db";
        }
        if (problem is not null) yield return new ValidationResult(problem, [nameof(ConnectionString)]);
    }
}
