using System.Globalization;
using Npgsql;

namespace SoraEvents.Testing;

/// <summary>
/// The real PostgreSQL server: the private one infra/test.sh starts (POSTGRES_TEST_URL), or one a developer names. Each fixture (one per test class, or per collection)
/// gets a database of its own, dropped at the end; <see cref="CreateSchemaAsync"/> gives each test an empty schema
/// inside it and <see cref="CreateDatabaseAsync"/> a further empty database. A missing server fails the tests; it
/// never skips them.
/// </summary>
/// <remarks>
/// The server comes from <c>POSTGRES_TEST_URL</c> (an Npgsql connection string or a <c>postgres://user:password@host:port/db</c>
/// URL), else from <c>Store__ConnectionString</c> when <c>Store__Provider</c> is <c>Postgres</c>, else
/// <see cref="DefaultServer"/>. The role needs CREATEDB.
/// </remarks>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=soraevents;Password=soraevents;Database=postgres";

    private const string DatabasePrefix = "soraevents_test_";

    /// <summary>Test databases left by a run that died before it could drop them are removed after this long.</summary>
    private static readonly TimeSpan StaleAfter = TimeSpan.FromHours(6);

    private readonly List<string> databases = [];
    private string? database;

    /// <summary>The server, connected to its maintenance database (where test databases are created and dropped).</summary>
    public static string ServerConnectionString { get; } = ResolveServer();

    /// <summary>This fixture's own empty database (created in <see cref="InitializeAsync"/>).</summary>
    public string ConnectionString => database is null
        ? throw new InvalidOperationException("PostgresFixture is not initialised yet.")
        : ForDatabase(database);

    public async Task InitializeAsync()
    {
        await using var connection = await OpenServerAsync();
        await DropStaleDatabasesAsync(connection);
        database = await CreateDatabaseAsync(connection);
    }

    public async Task DisposeAsync()
    {
        string[] names;
        lock (databases) names = [.. databases];
        if (names.Length == 0) return;
        await using var connection = await OpenServerAsync();
        foreach (var name in names)
            await DropDatabaseAsync(connection, name);
    }

    /// <summary>A further empty database, dropped with the fixture; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        await using var connection = await OpenServerAsync();
        return ForDatabase(await CreateDatabaseAsync(connection));
    }

    /// <summary>An empty schema in this fixture's database; the connection string returned puts it first on the search path.</summary>
    public async Task<string> CreateSchemaAsync()
    {
        var schema = $"t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ToString();
    }

    private string ForDatabase(string name)
    {
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name };
        // Every test class keeps pools; stay well below the server's max_connections when they run in parallel.
        if (!ServerConnectionString.Contains("Pool Size", StringComparison.OrdinalIgnoreCase)) builder.MaxPoolSize = 20;
        return builder.ToString();
    }

    private async Task<string> CreateDatabaseAsync(NpgsqlConnection connection)
    {
        var name = $"{DatabasePrefix}{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}_{Guid.NewGuid().ToString("N")[..12]}";
        await using (var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection))
            await command.ExecuteNonQueryAsync();
        lock (databases) databases.Add(name);
        return name;
    }

    private static async Task DropDatabaseAsync(NpgsqlConnection connection, string name)
    {
        // WITH (FORCE) ends connections still open in pools of the code under test.
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task DropStaleDatabasesAsync(NpgsqlConnection connection)
    {
        var stale = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'soraevents\\_test\\_%'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            var cutoff = DateTimeOffset.UtcNow - StaleAfter;
            while (await reader.ReadAsync())
            {
                var name = reader.GetString(0);
                var stamp = name[DatabasePrefix.Length..].Split('_')[0];
                if (long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                    && DateTimeOffset.FromUnixTimeSeconds(seconds) < cutoff)
                    stale.Add(name);
            }
        }
        foreach (var name in stale)
        {
            try { await DropDatabaseAsync(connection, name); }
            catch (PostgresException) { /* another run's cleanup got there first */ }
        }
    }

    private static async Task<NpgsqlConnection> OpenServerAsync()
    {
        var connection = new NpgsqlConnection(ServerConnectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or ArgumentException)
        {
            await connection.DisposeAsync();
            var target = new NpgsqlConnectionStringBuilder(ServerConnectionString);
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at {target.Host}:{target.Port} as '{target.Username}' (database '{target.Database}'): {ex.Message.TrimEnd('.')}. " +
                "Start one with `eval \"$(infra/postgres.sh)\"` (infra/test.sh starts one for you), or point POSTGRES_TEST_URL at one " +
                "whose role has CREATEDB.", ex);
        }
    }

    private static string ResolveServer()
    {
        var configured = Environment.GetEnvironmentVariable("POSTGRES_TEST_URL");
        if (string.IsNullOrWhiteSpace(configured)
            && string.Equals(Environment.GetEnvironmentVariable("Store__Provider"), "Postgres", StringComparison.OrdinalIgnoreCase))
            configured = Environment.GetEnvironmentVariable("Store__ConnectionString");
        if (string.IsNullOrWhiteSpace(configured)) configured = DefaultServer;
        // A connection can take seconds to open on a heavily loaded machine; a server that is really absent is refused at once.
        var builder = new NpgsqlConnectionStringBuilder(FromUrl(configured.Trim())) { Timeout = 30 };
        if (string.IsNullOrEmpty(builder.Database)) builder.Database = "postgres";
        return builder.ToString();
    }

    /// <summary><c>postgres://user:password@host:port/database</c> → Npgsql's keyword form; anything else is returned as it is.</summary>
    private static string FromUrl(string value)
    {
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return value;
        var url = new Uri(value);
        var builder = new NpgsqlConnectionStringBuilder { Host = url.Host, Port = url.IsDefaultPort || url.Port < 0 ? 5432 : url.Port };
        var userInfo = url.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) builder.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length > 1) builder.Password = Uri.UnescapeDataString(userInfo[1]);
        var path = url.AbsolutePath.Trim('/');
        if (path.Length > 0) builder.Database = Uri.UnescapeDataString(path);
        return builder.ToString();
    }
}
