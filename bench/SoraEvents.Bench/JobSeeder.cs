using Microsoft.Data.Sqlite;

namespace SoraEvents.Bench;

/// <summary>
/// Puts thousands of submitted jobs into a store at once, each a copy of one real job the service created and
/// submitted (only its id and gateway task id differ). Creating them through the API runs at a few hundred a
/// second (an fsync per commit), far too slow for the rates the pipeline part searches.
/// </summary>
public static class JobSeeder
{
    /// <summary>
    /// Copies the job <paramref name="templateId"/> of <paramref name="templateFile"/> into <paramref name="storeFile"/>
    /// once per id, with the gateway task id the benchmark's callbacks name (<see cref="TaskId"/>), in one transaction.
    /// </summary>
    public static async Task CopyAsync(string storeFile, string templateFile, Guid templateId, IReadOnlyList<Guid> ids)
    {
        // Not pooled: a pooled connection would keep the template attached for the next copy.
        await using var connection = new SqliteConnection($"Data Source={storeFile};Pooling=False");
        await connection.OpenAsync();
        await ExecuteAsync(connection, "PRAGMA busy_timeout = 5000;");
        var source = "main";
        if (Path.GetFullPath(templateFile) != Path.GetFullPath(storeFile))
        {
            await ExecuteAsync(connection, $"ATTACH DATABASE '{templateFile.Replace("'", "''", StringComparison.Ordinal)}' AS template;");
            source = "template";
        }

        // Every column as the template has it, so the copies follow the schema whatever migrations added.
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('jobs');";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
        }
        var values = columns.Select(c => c switch
        {
            "job_id" => "@JobId",
            "provider_request_id" => "@TaskId",
            _ => c,
        });

        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO main.jobs ({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} FROM {source}.jobs WHERE job_id = @Template";
        var jobId = insert.Parameters.Add("@JobId", SqliteType.Text);
        var taskId = insert.Parameters.Add("@TaskId", SqliteType.Text);
        insert.Parameters.AddWithValue("@Template", templateId.ToString("D"));
        foreach (var id in ids)
        {
            jobId.Value = id.ToString("D");
            taskId.Value = TaskId(id);
            if (await insert.ExecuteNonQueryAsync() != 1) throw new InvalidOperationException($"Template job {templateId} not found in {templateFile}.");
        }
        await transaction.CommitAsync();
    }

    /// <summary>The gateway task id of a seeded job: the one its completion callback names.</summary>
    public static string TaskId(Guid jobId) => $"video_{jobId:N}";

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
