using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using SoraEvents.Simulator;
using SoraEvents.Testing;

namespace SoraEvents.Bench;

/// <summary>
/// <c>dotnet SoraEvents.Bench.dll [--smoke] [--docs PATH] [--json PATH] [--command TEXT]</c>: runs the benchmarks on
/// the real broker (infra/rabbitmq.sh must have started it), prints the tables on standard output (progress goes
/// to standard error), and exits 0 only when every figure was measured. <c>bench/run.sh</c> is the documented way in.
/// For experiments: <c>--parts ingestion,e2e,pipeline,api,webhooks,scale</c> (a subset), <c>--rates 500:8,1000:5</c> (rate:seconds),
/// <c>--set KEY=VALUE</c> (an extra environment variable for every service started, repeatable) and
/// <c>--service-dll PATH</c> (measure another build of the service, e.g. a patched copy).
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var docs = Option(args, "--docs");
        var json = Option(args, "--json");
        var command = Option(args, "--command") ?? (smoke ? "bench/run.sh --smoke" : "bench/run.sh");
        var plan = smoke ? BenchPlan.SmokeRun : BenchPlan.Full;
        if (Option(args, "--rates") is { } rates)
        {
            var pairs = rates.Split(',').Select(r => r.Split(':')).ToArray();
            plan = plan with
            {
                Rates = [.. pairs.Select(p => int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture))],
                RateSeconds = [.. pairs.Select(p => double.Parse(p.Length > 1 ? p[1] : "5", System.Globalization.CultureInfo.InvariantCulture))],
            };
        }
        var parts = (Option(args, "--parts") ?? string.Join(',', BenchPlan.AllParts)).Split(',');
        var unknown = parts.Except(BenchPlan.AllParts).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"[bench] unknown part(s) {string.Join(", ", unknown)}; expected {string.Join(", ", BenchPlan.AllParts)}");
            return 2;
        }
        var extra = new Dictionary<string, string>();
        for (var a = 0; a < args.Length - 1; a++)
            if (args[a] == "--set" && args[a + 1].Split('=', 2) is [var key, var value]) extra[key] = value;
        var serviceDll = Option(args, "--service-dll");
        var log = Console.Error;

        try
        {
            var report = await RunAsync(plan, parts, extra, serviceDll, log);
            Console.Out.WriteLine();
            Console.Out.Write(Report.Tables(report));
            Console.Out.Flush();
            if (json is not null)
                await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            var problems = Report.Problems(report);
            foreach (var problem in problems) log.WriteLine($"[bench] PROBLEM: {problem}");
            if (docs is not null)
            {
                if (parts.Length != BenchPlan.AllParts.Length || extra.Count > 0 || serviceDll is not null)
                    log.WriteLine($"[bench] {docs} left as it was: not a standard run (parts, --set or --service-dll)");
                else if (problems.Count > 0) log.WriteLine($"[bench] {docs} left as it was: the run has problems");
                else
                {
                    Report.WriteDocs(docs, Report.Markdown(report, command));
                    log.WriteLine($"[bench] wrote {docs}");
                }
            }
            log.WriteLine($"[bench] done in {report.Elapsed.TotalMinutes:0.0} min");
            return problems.Count == 0 ? 0 : 1;
        }
        catch (Exception ex)
        {
            log.WriteLine($"[bench] FAILED: {ex}");
            return 2;
        }
    }

    public static async Task<BenchReport> RunAsync(
        BenchPlan plan, IReadOnlyList<string> parts, IReadOnlyDictionary<string, string> extraSettings, string? serviceDll, TextWriter log)
    {
        var loadBefore = LoadAverage();
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await Wrk.EnsureInstalledAsync(log);

        // The real broker or nothing: a missing broker fails here, never skips.
        var broker = new RabbitMqFixture();
        await broker.InitializeAsync();
        var workFolder = Path.Combine(Path.GetTempPath(), "soraevents-bench", "run-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(workFolder);
        var simulatorKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        // Jobs never finish by themselves (a day), and [sim:nocallback] keeps the simulator from calling back:
        // the benchmark sends the callbacks, and the status checks always find the job still processing.
        await using var simulator = await ProviderSimulator.StartAsync(new SimulatorOptions
        {
            PixazoApiKey = simulatorKey,
            ApixoApiKey = simulatorKey,
            CallbackDelay = TimeSpan.FromDays(1),
            ApixoRequestsPerMinute = 1_000_000,
            ApixoConcurrentTasks = 1_000_000,
        });
        try
        {
            var machine = await MachineInfo.DescribeAsync();
            log.WriteLine($"[bench] {(plan.Smoke ? "smoke" : "full")} run on {machine.Cores} cores ({machine.Cpu}), {machine.RabbitMq}, {machine.Wrk}; simulator at {simulator.BaseUrl}");
            var bench = new Benchmarks(plan, broker, simulator, simulatorKey, workFolder, log) { ServiceDll = serviceDll };
            foreach (var (key, value) in extraSettings) bench.ExtraSettings[key] = value;
            if (extraSettings.Count > 0 || serviceDll is not null)
                log.WriteLine($"[bench] EXPERIMENT: service {serviceDll ?? "as built"}, extra settings: {string.Join(' ', extraSettings.Select(s => $"{s.Key}={s.Value}"))}");

            // Ingestion and end to end share one service instance (status checks pushed out of the way);
            // the baseline runs beside it on a virtual host of its own.
            IngestionResult? ingestion = null;
            var endToEnd = new List<EndToEndResult>();
            if (parts.Contains("ingestion") || parts.Contains("e2e"))
            {
                await using var service = await bench.StartServiceAsync(await broker.CreateVirtualHostAsync(), Benchmarks.QuietPolling);
                if (parts.Contains("ingestion"))
                {
                    await using var baseline = await BaselineUnderTest.StartAsync(await broker.CreateVirtualHostAsync());
                    ingestion = await bench.IngestionAsync(service, baseline);
                }
                if (parts.Contains("e2e")) endToEnd = await bench.EndToEndAsync(service);
            }

            // Sustainable rates: a fresh service beside the bare pipeline, each with a store and virtual host of its own.
            var pipeline = parts.Contains("pipeline") ? await bench.PipelineAsync() : null;

            // The API on the embedded default (no broker), and outbound webhooks on a service of their own.
            var api = parts.Contains("api") ? await bench.ApiAsync() : null;
            var webhooks = parts.Contains("webhooks") ? await bench.WebhooksAsync() : [];

            // Scale: a fresh service (and store) for each mode, so memory and store reflect the jobs in flight.
            var scale = new List<ScaleSample>();
            if (parts.Contains("scale"))
            {
                scale.AddRange(await bench.ScaleAsync(proportional: false));
                scale.AddRange(await bench.ScaleAsync(proportional: true));
            }
            return new BenchReport(plan, parts, ingestion, endToEnd, scale, machine, startedAt, clock.Elapsed, loadBefore, LoadAverage(), api, webhooks, pipeline);
        }
        finally
        {
            try { await broker.DisposeAsync(); }
            catch (HttpRequestException ex) { log.WriteLine($"[bench] could not delete the benchmark's virtual hosts: {ex.Message}"); }
            try { Directory.Delete(workFolder, recursive: true); } catch (IOException) { }
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
