using System.CommandLine;
using System.Text.Json;
using SoraEvents.Cli.Output;

namespace SoraEvents.Cli.Jobs;

/// <summary><c>jobs list [--status …] [--limit N]</c>: GET /v1/videos, newest first, following its pages up to N jobs.</summary>
internal static class JobsListCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var status = new Option<string?>("--status") { Description = "Only jobs in this status", HelpName = "status" };
        status.AcceptOnlyFromAmong(JobsCommand.Statuses);
        var limit = new Option<int>("--limit") { Description = "At most this many jobs (1 to 1000)", HelpName = "n", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1000) r.AddError("--limit must be 1 to 1000"); });
        var command = new Command("list", "List the most recent jobs, newest first") { status, limit };
        command.SetAction((parsed, ct) => RunAsync(global.Resolve(parsed, console), parsed.GetValue(status), parsed.GetValue(limit), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string? status, int limit, CancellationToken ct)
    {
        using var api = cli.CreateApiClient();
        var jobs = await ListAsync(api, status, limit, ct);
        if (cli.Json)
        {
            await JsonOutput.WriteAsync(cli.Out, JsonSerializer.SerializeToElement(jobs));
            return ExitCodes.Success;
        }
        if (jobs.Count == 0)
        {
            await cli.Out.WriteLineAsync(status is null ? "no jobs" : $"no {status} jobs");
            return ExitCodes.Success;
        }
        var table = new Table("job id", "status", "provider", "created", "finished", "result");
        foreach (var view in jobs.Select(j => new JobView(j)))
            table.Add(view.JobId, view.Status, view.Provider ?? "-", Text.Time(view.CreatedAt), Text.Time(view.FinishedAt),
                Text.OneLine(view.Result, 100));
        table.WriteTo(cli.Out);
        return ExitCodes.Success;
    }

    /// <summary>Up to <paramref name="limit"/> videos, following the API's pages (at most 100 each) by their last id.</summary>
    private static async Task<List<JsonElement>> ListAsync(Api.ApiClient api, string? status, int limit, CancellationToken ct)
    {
        var jobs = new List<JsonElement>();
        string? after = null;
        while (jobs.Count < limit)
        {
            var query = $"v1/videos?limit={Math.Min(100, limit - jobs.Count)}" + (status is null ? "" : $"&status={Uri.EscapeDataString(status)}")
                        + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
            var page = await api.GetAsync(query, ct);
            if (page.ValueKind != JsonValueKind.Object || !page.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
                throw new CliException($"GET {query} did not answer with a list");
            jobs.AddRange(data.EnumerateArray());
            if (!page.TryGetProperty("has_more", out var more) || !more.GetBoolean() || data.GetArrayLength() == 0) break;
            after = page.GetProperty("last_id").GetString();
        }
        return jobs;
    }
}
