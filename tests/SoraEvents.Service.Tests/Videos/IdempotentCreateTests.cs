using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Contracts;
using SoraEvents.Service.ApiAccess;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Tests.Jobs;
using SoraEvents.Service.Tests.Support;
using SoraEvents.Service.Videos;
using SoraEvents.Testing;

namespace SoraEvents.Service.Tests.Videos;

/// <summary>
/// <c>POST /v1/videos</c> tells the truth (issue 11, item 2): 202 with the id whenever the job is stored, whether or
/// not the broker took the command; 503 only when nothing could be stored; and a retry, with the same
/// <c>Idempotency-Key</c> or the same <c>jobId</c>, never makes a second job.
/// </summary>
public sealed class IdempotentCreateTests : IAsyncLifetime
{
    private readonly HarnessFactory factory = new();
    private UnreachableBroker.Switch broker = null!;
    private StoreFaults storeFaults = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        factory.Settings["Submission:OrphanGraceSeconds"] = "1";
        var harness = factory.TestServices;
        factory.TestServices = services =>
        {
            harness?.Invoke(services);
            broker = UnreachableBroker.ForHttpPublishes(services);
            storeFaults = StoreFaults.Install(services);
        };
        client = factory.CreateClient();
        await factory.Harness.Start();
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private ITestHarness Harness => factory.Harness;

    private IJobStore Store => factory.Services.GetRequiredService<IJobStore>();

    private Task<HttpResponseMessage> PostAsync(object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/videos") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add(IdempotencyKeys.Header, key);
        return client.SendAsync(request);
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Post_while_the_broker_refuses_is_accepted_with_the_id_and_the_dispatcher_submits_the_job_once()
    {
        broker.Down = true;
        var response = await PostAsync(new { prompt = "A serene beach" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await BodyAsync(response);
        var jobId = body.GetProperty("id").GetGuid();
        Assert.Equal(("queued", $"/v1/videos/{jobId}"), (body.GetProperty("status").GetString(), response.Headers.Location?.OriginalString));
        Assert.Equal(1, broker.Refused);

        // Due one grace period later (1 s here), the dispatcher submits it on its own; waited for on the store, not the harness's idle timer.
        await Eventually.TrueAsync(async () => (await Store.FindAsync(jobId, CancellationToken.None))?.Status == JobStatus.Submitted,
            TimeSpan.FromSeconds(60), $"job {jobId} submitted by the dispatcher");
        Assert.True(await Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == jobId));
        await Harness.InactivityTask;
        Assert.Equal(1, factory.Gateway.SubmitCount);
        Assert.Equal(JobStatus.Submitted, (await Store.FindAsync(jobId, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Retries_with_the_same_idempotency_key_make_one_job_and_one_submission()
    {
        var body = new { prompt = "A serene beach", seconds = 8, metadata = new { order = "42" } };
        var answers = new List<HttpResponseMessage>();
        broker.Down = true; // the first answer's publish fails, as in the outage that made clients retry
        answers.Add(await PostAsync(body, "order-42"));
        broker.Down = false;
        answers.Add(await PostAsync(body, "order-42"));
        answers.Add(await PostAsync(body, "order-42"));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        var ids = await Task.WhenAll(answers.Select(async a => (await BodyAsync(a)).GetProperty("id").GetGuid()));
        var jobId = Assert.Single(ids.Distinct());
        Assert.Equal(IdempotencyKeys.JobIdFor(ApiCaller.Anonymous, "order-42"), jobId);

        Assert.True(await Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == jobId));
        await Harness.InactivityTask;
        Assert.Equal(1, factory.Gateway.SubmitCount);
        Assert.Single(await Store.ListAsync(null, 100, CancellationToken.None));
    }

    [Fact]
    public async Task Same_key_with_a_different_body_is_a_409_naming_the_differing_fields()
    {
        var first = await PostAsync(new { prompt = "A serene beach", seconds = 8 }, "order-7");
        var jobId = (await BodyAsync(first)).GetProperty("id").GetGuid();

        var second = await PostAsync(new { prompt = "A stormy beach", seconds = 4 }, "order-7");

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await BodyAsync(second);
        Assert.Equal(["prompt", "seconds"], problem.GetProperty("differingFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(jobId, problem.GetProperty("jobId").GetGuid());
        Assert.Contains("prompt, seconds", problem.GetProperty("detail").GetString());
        Assert.Equal(("idempotency_conflict", "prompt"), (problem.GetProperty("error").GetProperty("code").GetString(), problem.GetProperty("error").GetProperty("param").GetString()));
        Assert.Equal("A serene beach", (await Store.FindAsync(jobId, CancellationToken.None))!.Request.Prompt);
    }

    [Fact]
    public async Task Reused_job_id_with_a_different_body_is_a_409_and_the_same_body_gets_the_job_again()
    {
        var jobId = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(new { jobId, prompt = "A serene beach", metadata = new { order = "1" } })).StatusCode);

        var changed = await PostAsync(new { jobId, prompt = "A serene beach", metadata = new { order = "2" } });
        var again = await PostAsync(new { jobId, prompt = "A serene beach", metadata = new { order = "1" } });

        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        Assert.Equal(["metadata"], (await BodyAsync(changed)).GetProperty("differingFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(jobId, (await BodyAsync(again)).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Job_id_and_idempotency_key_naming_different_jobs_is_a_400()
    {
        var response = await PostAsync(new { jobId = Guid.NewGuid(), prompt = "A serene beach" }, "order-9");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("name different jobs", (await BodyAsync(response)).GetProperty("errors").GetProperty("jobId")[0].GetString());
        Assert.Empty(await Store.ListAsync(null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Unusable_idempotency_key_is_a_400_naming_the_header()
    {
        var response = await PostAsync(new { prompt = "A serene beach" }, new string('k', 256));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await BodyAsync(response)).GetProperty("errors").TryGetProperty(IdempotencyKeys.Header, out _));
    }

    [Fact]
    public async Task Store_failure_is_a_503_that_stores_nothing_and_names_the_id_a_retry_gets()
    {
        storeFaults.FailNext(nameof(IJobStore.CreateIfAbsentAsync), new SqliteException("disk I/O error", 10));

        var refused = await PostAsync(new { prompt = "A serene beach" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var jobId = (await BodyAsync(refused)).GetProperty("jobId").GetGuid();
        Assert.Equal(("server_error", "service_unavailable"), ((await BodyAsync(refused)).GetProperty("error").GetProperty("type").GetString(),
            (await BodyAsync(refused)).GetProperty("error").GetProperty("code").GetString()));
        Assert.Null(await Store.FindAsync(jobId, CancellationToken.None));
        Assert.False(await Harness.Published.Any<GenerateVideo>());

        var retry = await PostAsync(new { jobId, prompt = "A serene beach" });
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(jobId, (await BodyAsync(retry)).GetProperty("id").GetGuid());
    }
}
