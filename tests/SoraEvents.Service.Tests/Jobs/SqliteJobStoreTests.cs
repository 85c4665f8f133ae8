using Microsoft.Data.Sqlite;
using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Tests.Jobs;

/// <summary>The store contract on the embedded SQLite store: a fresh database file per test.</summary>
public sealed class SqliteJobStoreTests : JobStoreContract
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "soraevents-store-tests", Guid.NewGuid().ToString("N"));

    private string ConnectionString => $"Data Source={Path.Combine(folder, "jobs.db")}";

    protected override Task<IJobStore> CreateStoreAsync() => Task.FromResult<IJobStore>(new SqliteJobStore(ConnectionString));

    protected override IJobStore CreateAnotherInstance() => new SqliteJobStore(ConnectionString);

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected override Task CleanUpAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}
