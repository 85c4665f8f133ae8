using System.CommandLine;
using System.Text.Json;
using SoraEvents.Cli.Jobs;
using SoraEvents.Cli.Output;
using SoraEvents.Cli.Watch;
using SoraEvents.Contracts;

namespace SoraEvents.Cli.Submit;

/// <summary><c>submit --prompt …</c>: POST /v1/videos; with <c>--wait</c>, the job's terminal event.</summary>
internal static class SubmitCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var prompt = new Option<string>("--prompt", "-p") { Description = "What the video should show", HelpName = "text", Required = true };
        var image = new Option<string?>("--image")
        {
            Description = "Image-to-video: an http(s) URL, a data: URI, or a local JPEG/PNG/WebP file (sent as a data: URI)",
            HelpName = "url|file",
        };
        var size = new Option<string?>("--size") { Description = "1280x720, 720x1280, 1792x1024 or 1024x1792", HelpName = "WxH" };
        var seconds = new Option<int?>("--seconds") { Description = "Duration (pixazo: 4, 8, 12; apixo: 10, 15)", HelpName = "n" };
        var resolution = new Option<string?>("--resolution") { Description = "720p or 1080p (apixo image-to-video)", HelpName = "res" };
        var provider = new Option<string?>("--provider") { Description = "Gateway (default: the service's routing)", HelpName = "name" };
        provider.AcceptOnlyFromAmong(VideoProviders.Pixazo, VideoProviders.Apixo);
        var model = new Option<string?>("--model") { Description = "Model id (default: the service's, sora-2-pro)", HelpName = "id" };
        var metadata = new Option<string[]>("--metadata", "-m")
        {
            Description = "key=value echoed on every event about the job (repeatable)",
            HelpName = "key=value",
            DefaultValueFactory = _ => [],
        };
        var jobId = new Option<string?>("--job-id") { Description = "Your job id (the idempotency key; default: a new GUID)", HelpName = "guid" };
        var wait = new Option<bool>("--wait", "-w")
        {
            Description = "Wait for the job's outcome and print it (exit code 3 when it failed): its terminal event on the bus (--amqp) " +
                          "or its status from the API, whichever comes first",
        };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "With --wait: give up after this long (90s, 5m, 1h)",
            HelpName = "duration",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(30),
            CustomParser = Durations.ParseOption,
        };

        var command = new Command("submit", "Ask the service for a video (POST /v1/videos). With --wait, subscribe to the event exchanges " +
                                            "first, then print the job's VideoCompleted or VideoFailed.")
        {
            prompt, image, size, seconds, resolution, provider, model, metadata, jobId, wait, timeout,
        };
        command.SetAction((parsed, ct) =>
        {
            var cli = global.Resolve(parsed, console);
            var id = parsed.GetValue(jobId) is { } text ? JobsCommand.ParseJobId(text) : Guid.NewGuid();
            var body = new Dictionary<string, object?>
            {
                ["jobId"] = id,
                ["prompt"] = parsed.GetValue(prompt),
                ["input_reference"] = ImageInput.Resolve(parsed.GetValue(image)) is { } reference ? new { image_url = reference } : null,
                ["size"] = parsed.GetValue(size),
                ["seconds"] = parsed.GetValue(seconds),
                ["resolution"] = parsed.GetValue(resolution),
                ["provider"] = parsed.GetValue(provider),
                ["model"] = parsed.GetValue(model),
                ["metadata"] = Metadata(parsed.GetValue(metadata)!),
            };
            foreach (var key in body.Where(p => p.Value is null).Select(p => p.Key).ToList()) body.Remove(key);
            return parsed.GetValue(wait)
                ? SubmitAndWaitAsync(cli, id, body, parsed.GetValue(timeout), ct)
                : SubmitAsync(cli, body, ct);
        });
        return command;
    }

    private static Dictionary<string, string>? Metadata(string[] pairs)
    {
        if (pairs.Length == 0) return null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0) throw new CliException($"--metadata: '{pair}' is not key=value", ExitCodes.Usage);
            result[pair[..equals]] = pair[(equals + 1)..];
        }
        return result;
    }

    private static async Task<int> SubmitAsync(CliContext cli, Dictionary<string, object?> body, CancellationToken ct)
    {
        using var api = cli.CreateApiClient();
        var accepted = await api.PostAsync("v1/videos", body, ct);
        if (cli.Json)
        {
            await JsonOutput.WriteAsync(cli.Out, accepted);
        }
        else
        {
            var jobId = Get(accepted, "id");
            new Fields().Add("job", jobId).Add("status", Get(accepted, "status")).Add("location", $"/v1/videos/{jobId}").WriteTo(cli.Out);
            await cli.Out.WriteLineAsync($"follow it with: soraevents jobs show {jobId}   (or submit --wait)");
        }
        return ExitCodes.Success;
    }

    /// <summary>How often <c>--wait</c> asks the API about the job, beside watching the bus.</summary>
    internal static TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Waits for the job's outcome from whichever source reports it first: its terminal event on the bus, or its
    /// status from the API. The bus alone cannot be trusted to carry the service's events: the embedded default
    /// runs on an in-memory bus, so a broker the CLI reaches may never see them.
    /// </summary>
    private static async Task<int> SubmitAndWaitAsync(CliContext cli, Guid jobId, Dictionary<string, object?> body, TimeSpan timeout, CancellationToken ct)
    {
        using var api = cli.CreateApiClient();
        await using var connection = await TryConnectAsync(cli, ct);
        // Subscribed before the POST: a job that ends within milliseconds still has its event caught.
        await using var subscription = connection is null ? null : await EventSubscription.StartAsync(connection, ct);
        var accepted = await api.PostAsync("v1/videos", body, ct);
        var status = Get(accepted, "status");
        if (!cli.Json) await cli.Out.WriteLineAsync($"accepted   job {jobId} ({status})");

        if (status is "completed" or "failed")
            // A known job id that already ended: no new event will come, so its stored outcome is the answer.
            return await PrintJobAsync(cli, await api.GetAsync($"v1/videos/{jobId}", ct));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        try
        {
            var onBus = subscription is null ? NoEventAsync(done.Token) : TerminalEventAsync(cli, subscription, jobId, done.Token);
            var fromApi = TerminalStatusAsync(api, jobId, done.Token);
            var first = await Task.WhenAny(onBus, fromApi);
            if (first == onBus && onBus.IsFaulted && onBus.Exception?.InnerException is CliException lost && !deadline.IsCancellationRequested)
            {
                // The bus went away; the API still knows the outcome.
                if (!cli.Json) await cli.Out.WriteLineAsync($"note: {lost.Message}; following the job through the API");
                first = fromApi;
            }
            await first.WaitAsync(deadline.Token);
            await done.CancelAsync();
            if (first == onBus && await onBus is { } e)
            {
                await PrintTerminalAsync(cli, e);
                return e.Type == BusEvent.Failed ? ExitCodes.JobFailed : ExitCodes.Success;
            }
            return await PrintJobAsync(cli, await fromApi);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var now = await CurrentStatusAsync(api, jobId);
            throw new CliException($"timed out after {timeout} waiting for job {jobId} (status now: {now}); it goes on: soraevents jobs show {jobId}");
        }
    }

    /// <summary>The broker, or null when it cannot be reached: the API alone then reports the outcome.</summary>
    private static async Task<RabbitMQ.Client.IConnection?> TryConnectAsync(CliContext cli, CancellationToken ct)
    {
        try
        {
            return await cli.ConnectAsync(ct);
        }
        catch (CliException ex)
        {
            if (!cli.Json) await cli.Out.WriteLineAsync($"note: {ex.Message}; following the job through the API");
            return null;
        }
    }

    private static async Task<BusEvent?> NoEventAsync(CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct);
        return null;
    }

    private static async Task<BusEvent?> TerminalEventAsync(CliContext cli, EventSubscription subscription, Guid jobId, CancellationToken ct)
    {
        await foreach (var e in subscription.Events.ReadAllAsync(ct))
        {
            if (e.JobId != jobId) continue;
            if (e.IsTerminal) return e;
            if (!cli.Json) await cli.Out.WriteLineAsync($"submitted  to {e.Field("provider")} ({e.Field("providerRequestId")})");
        }
        throw new CliException("the event subscription ended before the job did");
    }

    /// <summary>Asks the API until the job has ended; a failed request is asked again at the next interval.</summary>
    private static async Task<System.Text.Json.JsonElement> TerminalStatusAsync(Api.ApiClient api, Guid jobId, CancellationToken ct)
    {
        while (true)
        {
            await Task.Delay(PollInterval, ct);
            try
            {
                var job = await api.GetAsync($"v1/videos/{jobId}", ct);
                if (new JobView(job).IsTerminal) return job;
            }
            catch (CliException) when (!ct.IsCancellationRequested)
            {
                // The service restarting, or briefly unreachable: the bus or the next request will tell.
            }
        }
    }

    private static async Task<int> PrintJobAsync(CliContext cli, JsonElement job)
    {
        if (cli.Json) await JsonOutput.WriteAsync(cli.Out, job);
        else JobPrinter.Print(cli.Out, new JobView(job));
        return new JobView(job).Status == "failed" ? ExitCodes.JobFailed : ExitCodes.Success;
    }

    private static async Task PrintTerminalAsync(CliContext cli, BusEvent e)
    {
        if (cli.Json)
        {
            await JsonOutput.WriteAsync(cli.Out, e.ToJson());
            return;
        }
        var fields = new Fields().Add("event", e.Type).Add("job", e.JobId?.ToString()).Add("message id", e.MessageId)
            .Add("provider", e.Field("provider")).Add("provider request", e.Field("providerRequestId"));
        if (e.Type == BusEvent.Completed)
            fields.Add("video", e.Field("videoUrl")).Add("expires", e.Field("expiresAt")).Add("completed", e.Field("completedAt"));
        else
            fields.Add("code", e.Field("code")).Add("reason", e.Field("reason")).Add("failed", e.Field("failedAt"));
        fields.WriteTo(cli.Out);
    }

    private static async Task<string> CurrentStatusAsync(Api.ApiClient api, Guid jobId)
    {
        try
        {
            return new JobView(await api.GetAsync($"v1/videos/{jobId}", CancellationToken.None)).Status;
        }
        catch (CliException)
        {
            return "unknown";
        }
    }

    private static string? Get(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
