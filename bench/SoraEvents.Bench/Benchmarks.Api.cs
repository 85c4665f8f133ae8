using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SoraEvents.Bench;

public sealed partial class Benchmarks
{
    // ------------------------------------------------------------------------------------------------------------
    // 4. API create and retrieve

    /// <summary>The body of every create: the default gateway and model, the built-in simulator's ordinary path.</summary>
    public const string CreateBody = """{"prompt":"bench: a lighthouse at dusk","seconds":4,"size":"1280x720"}""";

    /// <summary>
    /// Closed loop on the embedded default: <see cref="BenchPlan.ApiClients"/> clients, each <c>POST /v1/videos</c>
    /// (a fresh Idempotency-Key) then <c>GET /v1/videos/{id}</c> of the id it got, over and over. Our own HttpClient
    /// loop rather than wrk: wrk gives one latency distribution for all requests, and each kind needs its own.
    /// </summary>
    public async Task<ApiResult> ApiAsync()
    {
        // The per-caller limit (600 a minute) would measure the limiter; everything else is the default.
        await using var service = await ServiceUnderTest.StartEmbeddedDefaultAsync(
            new Dictionary<string, string>(ExtraSettings) { ["Api__RequestsPerMinute"] = "1000000" }, ServiceDll);
        log.WriteLine($"[bench] api: {plan.ApiClients} clients, POST /v1/videos then GET /v1/videos/{{id}}, {plan.ApiDuration.TotalSeconds:0.#} s " +
                      $"(after {plan.ApiWarmup.TotalSeconds:0.#} s warm-up) on the embedded default; the built-in simulator works on every job created");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = plan.ApiClients * 2, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = service.BaseUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };
        await LoadAsync(http, plan.ApiWarmup);
        var result = await LoadAsync(http, plan.ApiDuration);
        log.WriteLine($"[bench]   create {result.Create.RequestsPerSecond:0} req/s (p50 {result.Create.P50Ms:0.0} ms, p99 {result.Create.P99Ms:0.0} ms) | " +
                      $"retrieve {result.Retrieve.RequestsPerSecond:0} req/s (p50 {result.Retrieve.P50Ms:0.0} ms, p99 {result.Retrieve.P99Ms:0.0} ms)");
        if (result.Create.NonSuccess + result.Retrieve.NonSuccess > 0)
            log.WriteLine($"[bench]   WARNING: {result.Create.NonSuccess} creates were not 202, {result.Retrieve.NonSuccess} retrieves not 200");
        return result;
    }

    private async Task<ApiResult> LoadAsync(HttpClient http, TimeSpan duration)
    {
        var creates = new List<double>[plan.ApiClients];
        var retrieves = new List<double>[plan.ApiClients];
        var failedCreates = new long[plan.ApiClients];
        var failedRetrieves = new long[plan.ApiClients];
        var start = Stopwatch.GetTimestamp();
        var stopAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, plan.ApiClients).Select(c => Task.Run(async () =>
        {
            creates[c] = [];
            retrieves[c] = [];
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                using var post = new HttpRequestMessage(HttpMethod.Post, "/v1/videos") { Content = new StringContent(CreateBody, Encoding.UTF8, "application/json") };
                post.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
                var t0 = Stopwatch.GetTimestamp();
                string? id = null;
                try
                {
                    using var created = await http.SendAsync(post);
                    if (created.StatusCode == HttpStatusCode.Accepted)
                        id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
                }
                catch (HttpRequestException) { }
                creates[c].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                if (id is null)
                {
                    failedCreates[c]++;
                    continue;
                }

                var t1 = Stopwatch.GetTimestamp();
                var found = false;
                try
                {
                    using var retrieved = await http.GetAsync($"/v1/videos/{id}");
                    found = retrieved.StatusCode == HttpStatusCode.OK;
                    await retrieved.Content.LoadIntoBufferAsync();
                }
                catch (HttpRequestException) { }
                retrieves[c].Add(Stopwatch.GetElapsedTime(t1).TotalMilliseconds);
                if (!found) failedRetrieves[c]++;
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new ApiResult(plan.ApiClients, seconds,
            Figures("create", creates, failedCreates.Sum(), seconds),
            Figures("retrieve", retrieves, failedRetrieves.Sum(), seconds));

        static ApiRequestFigures Figures(string kind, List<double>[] perClient, long failed, double seconds)
        {
            var all = perClient.SelectMany(l => l).ToList();
            return new ApiRequestFigures(kind, all.Count, failed, all.Count / seconds, Stats.Percentile(all, 50), Stats.Percentile(all, 99));
        }
    }
}
