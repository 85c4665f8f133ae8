using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit.Testing;
using SoraEvents.Contracts;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Videos;

public sealed class VideoEndpointTests : IAsyncLifetime
{
    private readonly HarnessFactory factory = new();
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        client = factory.CreateClient();
        await factory.Harness.Start();
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Post_publishes_generate_video_and_answers_202_with_the_job_id()
    {
        var response = await client.PostAsJsonAsync("/v1/videos", new { prompt = "A serene beach", size = "1280x720", metadata = new { order = "9" } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var jobId = body.GetProperty("jobId").GetGuid();
        Assert.Equal($"/v1/videos/{jobId}", response.Headers.Location?.OriginalString);
        Assert.True(await factory.Harness.Published.Any<GenerateVideo>(m => m.Context.Message.JobId == jobId && m.Context.Message.Metadata!["order"] == "9"));
    }

    [Fact]
    public async Task Post_with_a_caller_job_id_keeps_it()
    {
        var jobId = Guid.NewGuid();
        var response = await client.PostAsJsonAsync("/v1/videos", new { jobId, prompt = "A serene beach" });
        Assert.Equal(jobId, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());
    }

    [Fact]
    public async Task Invalid_post_gets_problem_details_listing_every_field()
    {
        var response = await client.PostAsJsonAsync("/v1/videos", new { prompt = "", size = "10x10", seconds = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["prompt", "provider", "seconds", "size"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.False(await factory.Harness.Published.Any<GenerateVideo>());
    }

    [Fact]
    public async Task Malformed_json_post_is_a_400()
    {
        var response = await client.PostAsync("/v1/videos", new StringContent("{\"prompt\":", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Get_of_an_unknown_job_is_404_problem()
    {
        var response = await client.GetAsync($"/v1/videos/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_shows_the_job_as_it_progresses()
    {
        var post = await client.PostAsJsonAsync("/v1/videos", new { prompt = "A serene beach" });
        var jobId = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        Assert.True(await factory.Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == jobId));

        var view = await client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}");
        Assert.Equal("submitted", view.GetProperty("status").GetString());
        Assert.Equal("pixazo", view.GetProperty("provider").GetString());
        Assert.Equal($"fake_{jobId:N}_1", view.GetProperty("providerRequestId").GetString());
    }

    [Fact]
    public async Task Post_that_no_gateway_can_serve_names_the_gateway_and_its_allowed_values()
    {
        var response = await client.PostAsJsonAsync("/v1/videos", new { prompt = "A beach", seconds = 15, provider = "pixazo" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("pixazo: seconds 15 is not supported; use 4, 8 or 12.", errors.GetProperty("provider")[0].GetString());
    }

    [Fact]
    public async Task List_filters_by_status_newest_first()
    {
        var ids = new List<Guid>();
        foreach (var prompt in new[] { "first", "second" })
        {
            var response = await client.PostAsJsonAsync("/v1/videos", new { prompt });
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());
        }
        foreach (var id in ids) Assert.True(await factory.Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == id));

        var submitted = await client.GetFromJsonAsync<JsonElement>("/v1/videos?status=submitted&limit=10");
        Assert.Equal(Enumerable.Reverse(ids), submitted.EnumerateArray().Select(v => v.GetProperty("jobId").GetGuid()));
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/v1/videos?status=failed")).EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/v1/videos?status=lost")).StatusCode);
    }
}
