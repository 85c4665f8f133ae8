using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Logging;

/// <summary>
/// The real service process with JSON logs at their most talkative (debug, ASP.NET Core's and HttpClient's logging
/// on, and the request log, which names each request's path and query): no API key (the gateways' or the callers' Bearer keys, known or not), signing key or callback
/// token may appear in any line.
/// </summary>
public sealed class LogSecretsTests : IAsyncLifetime
{
    private const string PixazoKey = "pixazo-secret-key-7f3a9c";
    private const string ApixoKey = "apixo-secret-key-0b81de";
    private const string SigningKey = "log-test-signing-key-5e2f0a9d4c7b1e8f3a6d";
    private static readonly string WebhookSecret = "whsec_" + Convert.ToBase64String(Encoding.ASCII.GetBytes("log-test-outbound-webhook-secret"));
    private WebhookReceiver receiver = null!;
    private const string CallerKey = "sk_logtest_caller_4b7e1d9a2c";
    private const string AdminKey = "sk_logtest_admin_8f2c6a0e3b";
    private const string UnknownKey = "sk_logtest_unknown_1a2b3c4d5e";
    private ChildProcess simulator = null!;
    private ChildProcess service = null!;
    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "soraevents-log-test", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        simulator = new ChildProcess("SoraEvents.Simulator.dll", new Dictionary<string, string>
        {
            ["Simulator__PixazoApiKey"] = PixazoKey,
            ["Simulator__ApixoApiKey"] = ApixoKey,
            ["Simulator__CallbackDelay"] = "00:00:00.300",
        });
        await simulator.StartAsync("/health");
        receiver = await WebhookReceiver.StartAsync();
        // No public URL: the callback URLs name the port the service bound.
        service = new ChildProcess("SoraEvents.Service.dll", new Dictionary<string, string>
        {
            ["Logging__Format"] = "json",
            ["Serilog__MinimumLevel__Default"] = "Debug",
            ["Serilog__MinimumLevel__Override__Microsoft"] = "Information",
            ["Serilog__MinimumLevel__Override__Microsoft.AspNetCore"] = "Debug",
            ["Serilog__MinimumLevel__Override__System.Net.Http.HttpClient"] = "Debug",
            ["Store__ConnectionString"] = $"Data Source={Path.Combine(dataFolder, "jobs.db")}",
            ["Webhooks__SigningKey"] = SigningKey,
            ["Api__Keys__logtest"] = CallerKey,
            ["Api__AdminKeys__operator"] = AdminKey,
            ["Providers__Pixazo__BaseUrl"] = simulator.BaseUrl.AbsoluteUri,
            ["Providers__Pixazo__ApiKey"] = PixazoKey,
            ["Providers__Apixo__BaseUrl"] = simulator.BaseUrl.AbsoluteUri,
            ["Providers__Apixo__ApiKey"] = ApixoKey,
            ["OutboundWebhooks__AllowPrivateNetworks"] = "true",
            ["OutboundWebhooks__logtest__Url"] = receiver.HookUrl.AbsoluteUri,
            ["OutboundWebhooks__logtest__Secret"] = WebhookSecret,
        });
        await service.StartAsync("/health/live");
    }

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        await simulator.DisposeAsync();
        await receiver.DisposeAsync();
        try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task No_log_line_carries_a_key_or_a_callback_token_and_job_lines_carry_job_and_provider()
    {
        using var http = new HttpClient { BaseAddress = service.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", CallerKey);
        var jobs = new List<(Guid JobId, string Provider)>();
        foreach (var provider in new[] { "pixazo", "apixo", "pixazo" })
        {
            var response = await http.PostAsJsonAsync("/v1/videos", new { prompt = "a quiet harbour", provider, seconds = provider == "apixo" ? 10 : 4 });
            jobs.Add(((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), provider));
        }
        foreach (var (jobId, _) in jobs)
            await Eventually.TrueAsync(async () => (await http.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}")).GetProperty("status").GetString() == "completed",
                TimeSpan.FromSeconds(30), $"job {jobId} completed\n{service.Output}");
        await receiver.WaitForAsync(r => r.Count == jobs.Count, "a signed outbound webhook for every job");
        await http.PostAsync($"/webhooks/pixazo/{jobs[0].JobId}?token=not-the-token", new StringContent("{}", Encoding.UTF8, "application/json"));
        // The request log's line comes after the answer is sent: wait for that line rather than a fixed while.
        await Eventually.TrueAsync(() => Task.FromResult(service.Lines.Any(l => IsRequestLine(l, $"/webhooks/pixazo/{jobs[0].JobId}", 401))),
            TimeSpan.FromSeconds(30), $"the rejected callback's request line\n{service.Output}");

        // API keys: a caller's, an admin's and one the service does not know, sent as Authorization headers.
        foreach (var key in new[] { AdminKey, UnknownKey })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/videos");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            using var answer = await http.SendAsync(request);
            Assert.Equal(key == AdminKey ? System.Net.HttpStatusCode.OK : System.Net.HttpStatusCode.Unauthorized, answer.StatusCode);
        }
        await Eventually.TrueAsync(() => Task.FromResult(service.Lines.Any(l => IsRequestLine(l, "/v1/videos", 401))),
            TimeSpan.FromSeconds(30), $"the refused API request's line\n{service.Output}");

        var tokens = new CallbackTokens(Encoding.UTF8.GetBytes(SigningKey));
        var secrets = new[] { PixazoKey, ApixoKey, SigningKey, WebhookSecret, WebhookSecret["whsec_".Length..], CallerKey, AdminKey, UnknownKey }.Concat(jobs.Select(j => tokens.Create(j.Provider, j.JobId))).ToList();
        var lines = service.Lines.Where(l => l.StartsWith('{')).ToList();
        Assert.True(lines.Count > 20, $"the service logged JSON lines:\n{service.Output}");
        foreach (var line in lines.Concat(simulator.Lines))
            foreach (var secret in secrets)
                Assert.False(line.Contains(secret, StringComparison.Ordinal), $"a secret leaked into: {line}");
        // The redaction really ran: the request log names the callback URL with its query, and the token masked.
        Assert.Contains(lines, l => l.Contains("token=***", StringComparison.Ordinal));

        foreach (var line in lines)
        {
            var properties = JsonDocument.Parse(line).RootElement;
            if (properties.TryGetProperty("JobId", out _))
                Assert.True(properties.TryGetProperty("Provider", out _), $"a job line without Provider: {line}");
        }
        // Lines written while an authenticated request ran name its caller.
        Assert.Contains(lines, l => JsonDocument.Parse(l).RootElement.TryGetProperty("Caller", out var caller) && caller.GetString() == "logtest");
        Assert.Contains(lines, l => JsonDocument.Parse(l).RootElement.TryGetProperty("Caller", out var caller) && caller.GetString() == "operator");
        Assert.All(jobs, job => Assert.Contains(lines, l => l.Contains(job.JobId.ToString(), StringComparison.Ordinal)));
    }

    /// <summary>The request log's line for a request to <paramref name="path"/> (its query may follow) answered <paramref name="status"/>.</summary>
    private static bool IsRequestLine(string line, string path, int status) =>
        line.Contains("RequestLoggingMiddleware", StringComparison.Ordinal)
        && line.Contains($"\"RequestPath\":\"{path}", StringComparison.Ordinal) && line.Contains($"\"StatusCode\":{status}", StringComparison.Ordinal);
}
