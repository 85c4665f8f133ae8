using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Integration;

/// <summary>
/// Faults on the real broker: garbage at the webhook, the broker going away, and the broker restarting in
/// the middle of a burst. Nothing acknowledged may be lost, and nothing may hang.
/// </summary>
[Collection(BrokerFaultCollection.Name)]
public sealed class BrokerFaultTests(PrivateRabbitMqNode broker) : IAsyncLifetime
{
    private LiveService live = null!;

    public async Task InitializeAsync() => live = await LiveService.StartAsync(broker, new Dictionary<string, string?>
    {
        // Only callbacks may end jobs here, so a lost callback cannot be hidden by a status check.
        ["Providers:Pixazo:PollAfterSeconds"] = "3600",
    });

    public async Task DisposeAsync()
    {
        await broker.StartAsync(); // whatever happened, leave a running broker for the next test
        await live.DisposeAsync();
    }

    private string Token(string provider, Guid jobId) => live.Factory.Services.GetRequiredService<CallbackTokens>().Create(provider, jobId);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string ResultBody(Guid jobId) =>
        $$"""{"id":"video_{{jobId:N}}","status":"completed","model":"sora-2-pro","video_url":"https://cdn.test/{{jobId}}.mp4"}""";

    private async Task<Guid[]> SubmittedJobsAsync(int count)
    {
        var jobIds = await Task.WhenAll(Enumerable.Range(0, count).Select(i => live.PostVideoAsync(new { prompt = $"[sim:nocallback] job {i}" })));
        foreach (var jobId in jobIds) await live.Events.WaitForAsync(jobId, "VideoSubmitted", TimeSpan.FromSeconds(60));
        return jobIds;
    }

    [Fact]
    public async Task Thousand_bad_callbacks_are_each_refused_with_the_right_status_and_fault_nothing()
    {
        var jobs = await SubmittedJobsAsync(10);
        // The status API can only complete a job the gateway has finished; the burst may be over before that.
        await Eventually.TrueAsync(() => Task.FromResult(jobs.All(jobId =>
            live.Simulator.Find(live.Events.For(jobId, "VideoSubmitted")[0].Message.GetProperty("providerRequestId").GetString()!)
                is { IsTerminal: true })), TimeSpan.FromSeconds(60), "the simulator finishing the ten jobs");
        var cases = new List<(string Url, string Body, HttpStatusCode Expected)>();
        for (var i = 0; i < 1000; i++)
        {
            var jobId = jobs[i % jobs.Length];
            cases.Add((i % 5) switch
            {
                0 => ($"/webhooks/pixazo/{jobId}?token={Token("pixazo", jobId)}", "{\"status\": COMPLETED" + i, HttpStatusCode.BadRequest),
                1 => ($"/webhooks/pixazo/{jobId}?token={Token("pixazo", jobId)}", "{\"pad\":\"" + new string('x', 70_000) + "\"}", HttpStatusCode.RequestEntityTooLarge),
                2 => ($"/webhooks/pixazo/{jobId}" + (i % 2 == 0 ? "" : $"?token={Token("pixazo", Guid.NewGuid())}"), ResultBody(jobId), HttpStatusCode.Unauthorized),
                3 => ($"/webhooks/apixo/{jobId}?token={Token("pixazo", jobId)}", ResultBody(jobId), HttpStatusCode.Unauthorized),
                // Authentic but unreadable: accepted, then only a hint to ask the status API. It must not fault the consumer.
                _ => ($"/webhooks/pixazo/{jobId}?token={Token("pixazo", jobId)}", "{\"unexpected\":[1,2,3]}", HttpStatusCode.OK),
            });
        }

        var answers = new ConcurrentBag<(HttpStatusCode Expected, HttpStatusCode Actual)>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, ct) =>
        {
            using var response = await live.Client.PostAsync(c.Url, Json(c.Body), ct);
            answers.Add((c.Expected, response.StatusCode));
        });

        Assert.Equal(1000, answers.Count);
        Assert.All(answers, a => Assert.Equal(a.Expected, a.Actual));
        // Only the authentic-but-unreadable callbacks reached a consumer; they made it ask the status API,
        // which completed those jobs once. The rejected callbacks changed nothing.
        var askedStatus = Enumerable.Range(0, 1000).Where(i => i % 5 == 4).Select(i => jobs[i % jobs.Length]).ToHashSet();
        foreach (var jobId in askedStatus) await live.Events.WaitForAsync(jobId, "VideoCompleted");
        // The consumer has worked through the unreadable callbacks (the events above); a little longer for any
        // it faulted on to reach an error queue, were there such.
        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var queue in new[] { "callback-received_error", "generate-video_error", "callback-received_skipped" })
            Assert.Equal(0u, await RabbitMqFixture.MessageCountAsync(live.AmqpUrl, queue));
        Assert.All(jobs, jobId => Assert.Equal(askedStatus.Contains(jobId) ? 1 : 0, live.Events.For(jobId, "VideoCompleted").Count));
    }

    [Fact]
    public async Task Broker_down_gets_webhook_503s_and_accepted_posts_within_ten_seconds_and_the_http_path_recovers_by_itself()
    {
        var jobId = (await SubmittedJobsAsync(1))[0];
        await broker.StopAsync();

        var clock = Stopwatch.StartNew();
        var callback = await live.Client.PostAsync($"/webhooks/pixazo/{jobId}?token={Token("pixazo", jobId)}", Json(ResultBody(jobId)));
        var callbackTime = clock.Elapsed;
        clock.Restart();
        var post = await live.Client.PostAsJsonAsync("/v1/videos", new { prompt = "while the broker is down" });
        var postTime = clock.Elapsed;

        // The webhook cannot keep the callback, so the gateway must retry; the POST's job is stored, so it is accepted.
        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.Accepted), (callback.StatusCode, post.StatusCode));
        var storedWhileDown = (await post.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        Assert.True(callbackTime < TimeSpan.FromSeconds(10), $"webhook answered after {callbackTime}");
        Assert.True(postTime < TimeSpan.FromSeconds(10), $"POST /v1/videos answered after {postTime}");
        Assert.NotNull(callback.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await live.Client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await live.Client.GetAsync("/health/ready")).StatusCode);

        await broker.StartAsync();
        await Eventually.TrueAsync(async () =>
        {
            using var retry = await live.Client.PostAsync($"/webhooks/pixazo/{jobId}?token={Token("pixazo", jobId)}", Json(ResultBody(jobId)));
            return retry.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60), "the webhook answering 200 again");
        var completed = await live.Events.WaitForAsync(jobId, "VideoCompleted", TimeSpan.FromSeconds(60));
        Assert.Equal($"https://cdn.test/{jobId}.mp4", completed.Message.GetProperty("videoUrl").GetString());
        // The job accepted during the outage reaches the gateway once: by its command or, once due, by the dispatcher.
        bool AtTheGateway() => live.Simulator.Requests.Any(r => r.CallbackUrl?.Contains(storedWhileDown.ToString()) == true);
        await Eventually.TrueAsync(() => Task.FromResult(AtTheGateway()), TimeSpan.FromSeconds(60), $"job {storedWhileDown} reaching the gateway");
        // Each receive endpoint reconnects on its own schedule; readiness follows once all of them are back.
        await Eventually.TrueAsync(async () =>
        {
            using var ready = await live.Client.GetAsync("/health/ready");
            return ready.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60), "/health/ready answering 200 again");
        var fresh = await live.PostVideoAsync(new { prompt = "after the broker came back" });
        await live.Events.WaitForAsync(fresh, "VideoSubmitted", TimeSpan.FromSeconds(60));
        Assert.Single(live.Simulator.Requests, r => r.CallbackUrl?.Contains(storedWhileDown.ToString()) == true);
        Assert.Equal(0, live.Simulator.DuplicateSubmissions);
    }

    [Fact]
    public async Task Broker_restart_during_a_200_callback_burst_loses_no_acknowledged_callback()
    {
        var jobs = await SubmittedJobsAsync(200);
        var acknowledged = new ConcurrentDictionary<Guid, bool>();

        async Task SendAsync(Guid jobId)
        {
            try
            {
                using var response = await live.Client.PostAsync($"/webhooks/pixazo/{jobId}?token={Token("pixazo", jobId)}", Json(ResultBody(jobId)));
                if (response.IsSuccessStatusCode) acknowledged[jobId] = true;
            }
            catch (HttpRequestException)
            {
                // Not acknowledged: the gateway would retry, and so does this test below.
            }
        }

        // Paced over ~15 s so the restart (stop and start, ~13 s) falls in the middle of the burst.
        Task? restart = null;
        var sends = new List<Task>();
        for (var i = 0; i < jobs.Length; i++)
        {
            if (i == 40) restart = Task.Run(async () => { await broker.StopAsync(); await broker.StartAsync(); });
            sends.Add(SendAsync(jobs[i]));
            await Task.Delay(75);
        }
        await Task.WhenAll(sends);
        await restart!;
        var acknowledgedInBurst = acknowledged.Keys.ToHashSet();
        Assert.InRange(acknowledgedInBurst.Count, 1, 199); // the restart really hit the burst

        // Every acknowledged callback must end its job. The others are retried, as a gateway would.
        await Eventually.TrueAsync(async () =>
        {
            await Task.WhenAll(jobs.Where(j => !acknowledged.ContainsKey(j)).Select(SendAsync));
            return acknowledged.Count == jobs.Length;
        }, TimeSpan.FromSeconds(90), "every callback acknowledged after the restart");

        foreach (var jobId in jobs)
        {
            var completed = await live.Events.WaitForAsync(jobId, "VideoCompleted", TimeSpan.FromSeconds(90));
            Assert.Equal($"https://cdn.test/{jobId}.mp4", completed.Message.GetProperty("videoUrl").GetString());
        }
        Assert.All(jobs, jobId => Assert.Single(live.Events.For(jobId, "VideoCompleted").Select(e => e.MessageId).Distinct()));
    }
}
