using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit.Testing;
using SoraEvents.Contracts;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Videos;

/// <summary>
/// <c>/v1/videos</c> speaks OpenAI's Videos API (issue 12): the request as the SDKs send it, the Video object, and an
/// OpenAI <c>error</c> member beside ProblemDetails on every error.
/// </summary>
public sealed class VideoEndpointTests : IAsyncLifetime
{
    private readonly HarnessFactory factory = new();
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        factory.Settings["Api:ModelAliases:sora-2"] = "sora-2-pro";
        TestCallers.Configure(factory);
        client = factory.CreateClient().As(TestCallers.Default);
        await factory.Harness.Start();
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    /// <summary>Read as text, which the content keeps, so a test may read a body twice.</summary>
    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<Guid> CreateAsync(object body, HttpClient? as_ = null)
    {
        var response = await (as_ ?? client).PostAsJsonAsync("/v1/videos", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await BodyAsync(response)).GetProperty("id").GetGuid();
    }

    /// <summary>The OpenAI error member of an error answer, after checking it is ProblemDetails too.</summary>
    private static async Task<JsonElement> OpenAiErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await BodyAsync(response);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        var error = body.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        return error;
    }

    [Fact]
    public async Task Json_post_answers_202_with_a_video_object_and_publishes_generate_video()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var response = await client.PostAsJsonAsync("/v1/videos", new { prompt = "A serene beach", size = "1280x720", seconds = "8", metadata = new { order = "9" } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var video = await BodyAsync(response);
        var id = video.GetProperty("id").GetGuid();
        Assert.Equal($"/v1/videos/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("video", video.GetProperty("object").GetString());
        Assert.Equal("sora-2-pro", video.GetProperty("model").GetString());
        Assert.Contains(video.GetProperty("status").GetString(), new[] { "queued", "in_progress" });
        Assert.InRange(video.GetProperty("progress").GetInt32(), 0, 99);
        Assert.InRange(video.GetProperty("created_at").GetInt64(), before, before + 60);
        Assert.Equal(JsonValueKind.Null, video.GetProperty("completed_at").ValueKind);
        Assert.Equal(("A serene beach", "1280x720", "8"), (video.GetProperty("prompt").GetString(), video.GetProperty("size").GetString(), video.GetProperty("seconds").GetString()));
        Assert.Equal(JsonValueKind.Null, video.GetProperty("remixed_from_video_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, video.GetProperty("error").ValueKind);
        Assert.Equal("9", video.GetProperty("metadata").GetProperty("order").GetString());
        Assert.Equal(TestCallers.Default, video.GetProperty("caller").GetString());
        Assert.True(await factory.Harness.Published.Any<GenerateVideo>(m => m.Context.Message.JobId == id && m.Context.Message.Seconds == 8));
    }

    [Fact]
    public async Task Post_with_a_caller_job_id_keeps_it()
    {
        var jobId = Guid.NewGuid();
        Assert.Equal(jobId, await CreateAsync(new { jobId, prompt = "A serene beach" }));
    }

    [Fact]
    public async Task Multipart_post_with_an_uploaded_image_sends_it_on_as_a_data_uri()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("Make it move"), "prompt" },
            { new StringContent("sora-2"), "model" },
            { new StringContent("4"), "seconds" },
            { new StringContent("1280x720"), "size" },
            { new StringContent("7"), "metadata[order]" },
        };
        var image = new ByteArrayContent(TestImages.Png(1280, 720));
        image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(image, "input_reference", "frame.png");

        var response = await client.PostAsync("/v1/videos", form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await BodyAsync(response)).GetProperty("id").GetGuid();
        Assert.True(await factory.Harness.Published.Any<GenerateVideo>(m => m.Context.Message.JobId == id));
        var command = factory.PublishedSoFar<GenerateVideo>().Single(m => m.Context.Message.JobId == id).Context.Message;
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(TestImages.Png(1280, 720)), command.Image);
        Assert.Equal(("sora-2-pro", 4, "7"), (command.Model, command.Seconds, command.Metadata!["order"]));
    }

    [Fact]
    public async Task Uploaded_file_that_is_no_image_is_a_400_naming_input_reference()
    {
        using var form = new MultipartFormDataContent { { new StringContent("Make it move"), "prompt" } };
        form.Add(new ByteArrayContent("not an image at all"u8.ToArray()), "input_reference", "notes.txt");

        var error = await OpenAiErrorAsync(await client.PostAsync("/v1/videos", form), HttpStatusCode.BadRequest);

        Assert.Equal("input_reference", error.GetProperty("param").GetString());
        Assert.Contains("PNG, JPEG or WebP", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Upload_larger_than_any_gateway_takes_is_a_413()
    {
        using var form = new MultipartFormDataContent { { new StringContent("Make it move"), "prompt" } };
        var big = new byte[11 * 1024 * 1024];
        TestImages.Png(1280, 720).CopyTo(big, 0);
        form.Add(new ByteArrayContent(big), "input_reference", "huge.png");

        var error = await OpenAiErrorAsync(await client.PostAsync("/v1/videos", form), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(("input_reference", "request_too_large"), (error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Json_input_reference_image_url_reaches_the_command()
    {
        var dataUri = TestImages.PngDataUri(1280, 720);
        var id = await CreateAsync(new { prompt = "Make it move", size = "1280x720", input_reference = new { image_url = dataUri } });
        Assert.True(await factory.Harness.Published.Any<GenerateVideo>(m => m.Context.Message.JobId == id && m.Context.Message.Image == dataUri));
    }

    [Theory]
    [InlineData("{\"prompt\":", "body", "not valid JSON")]
    [InlineData("not json", "body", "not valid JSON")]
    [InlineData("[]", "body", "it is a JSON array")]
    [InlineData("{\"prompt\":\"A beach\",\"seconds\":4.5}", "seconds", "4.5 is not")]
    [InlineData("{\"prompt\":\"A beach\",\"seconds\":\"four\"}", "seconds", "\"four\" is not")]
    [InlineData("{\"prompt\":\"A beach\",\"jobId\":\"not-a-guid\"}", "jobId", "\"not-a-guid\" is not")]
    [InlineData("{\"prompt\":\"A beach\",\"metadata\":{\"n\":1}}", "metadata", "values are strings")]
    public async Task Unreadable_bodies_are_400s_naming_the_field_and_what_was_wrong(string body, string field, string saying)
    {
        var response = await client.PostAsync("/v1/videos", new StringContent(body, Encoding.UTF8, "application/json"));

        var error = await OpenAiErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains(saying, error.GetProperty("message").GetString());
        Assert.True((await BodyAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.False(await factory.Harness.Published.Any<GenerateVideo>());
    }

    [Fact]
    public async Task Invalid_post_gets_problem_details_listing_every_field()
    {
        var response = await client.PostAsJsonAsync("/v1/videos", new { prompt = "", size = "10x10", seconds = 0 });

        var error = await OpenAiErrorAsync(response, HttpStatusCode.BadRequest);
        var errors = (await BodyAsync(response)).GetProperty("errors");
        Assert.Equal(["prompt", "seconds", "size"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains(error.GetProperty("param").GetString(), new[] { "prompt", "seconds", "size" });
        Assert.False(await factory.Harness.Published.Any<GenerateVideo>());
    }

    [Fact]
    public async Task What_no_gateway_can_serve_is_filed_under_the_field_that_caused_it()
    {
        var response = await client.PostAsJsonAsync("/v1/videos", new { prompt = "A beach", seconds = 15, provider = "pixazo" });

        var error = await OpenAiErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("seconds", error.GetProperty("param").GetString());
        var errors = (await BodyAsync(response)).GetProperty("errors");
        Assert.Equal("pixazo: seconds 15 is not supported; use 4, 8 or 12.", errors.GetProperty("seconds")[0].GetString());
        Assert.False(errors.TryGetProperty("provider", out _));
    }

    [Fact]
    public async Task Unknown_model_is_a_400_naming_the_served_models_and_an_alias_is_taken()
    {
        var error = await OpenAiErrorAsync(await client.PostAsJsonAsync("/v1/videos", new { prompt = "A beach", model = "sora-3" }), HttpStatusCode.BadRequest);
        Assert.Equal(("model", "model_not_found"), (error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
        Assert.Contains("sora-2-pro", error.GetProperty("message").GetString());
        Assert.False(await factory.Harness.Published.Any<GenerateVideo>());

        var aliased = await client.PostAsJsonAsync("/v1/videos", new { prompt = "A beach", model = "sora-2" });
        Assert.Equal(HttpStatusCode.Accepted, aliased.StatusCode);
        Assert.Equal("sora-2-pro", (await BodyAsync(aliased)).GetProperty("model").GetString());
    }

    [Fact]
    public async Task Other_content_types_are_a_415_naming_the_accepted_ones()
    {
        var error = await OpenAiErrorAsync(await client.PostAsync("/v1/videos", new StringContent("prompt=A beach", Encoding.UTF8, "text/plain")),
            HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", error.GetProperty("message").GetString());
        Assert.Contains("multipart/form-data", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000001")]
    [InlineData("video_68d7512d07848190b3e45da0ecbebcde")]
    public async Task Get_of_an_unknown_video_is_a_404_with_the_openai_error(string id)
    {
        var error = await OpenAiErrorAsync(await client.GetAsync($"/v1/videos/{id}"), HttpStatusCode.NotFound);
        Assert.Equal(("invalid_request_error", "video_not_found"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Method_the_api_lacks_still_gets_the_openai_error()
    {
        var response = await client.PutAsync($"/v1/videos/{Guid.NewGuid()}", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("method_not_allowed", (await BodyAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("/v1/videos/00000000-0000-0000-0000-000000000001/remix")]
    [InlineData("/v1/videos/edits")]
    [InlineData("/v1/videos/extensions")]
    [InlineData("/v1/videos/characters")]
    public async Task What_the_gateways_do_not_offer_is_a_400_saying_so(string path)
    {
        var error = await OpenAiErrorAsync(await client.PostAsJsonAsync(path, new { prompt = "again" }), HttpStatusCode.BadRequest);
        Assert.Equal("unsupported_operation", error.GetProperty("code").GetString());
        Assert.Contains("neither gateway", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Get_shows_the_job_in_progress_with_its_gateway_attempt()
    {
        var jobId = await CreateAsync(new { prompt = "A serene beach" });
        Assert.True(await factory.Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == jobId));

        var video = await client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}");
        Assert.Equal("in_progress", video.GetProperty("status").GetString());
        Assert.Equal("pixazo", video.GetProperty("provider").GetString());
        var attempt = Assert.Single(video.GetProperty("attempts").EnumerateArray());
        Assert.Equal(($"fake_{jobId:N}_1", 1), (attempt.GetProperty("provider_request_id").GetString(), attempt.GetProperty("attempt").GetInt32()));
    }

    [Fact]
    public async Task A_caller_sees_only_its_own_videos_and_an_admin_sees_all()
    {
        using var orders = factory.CreateClient().As("orders");
        using var billing = factory.CreateClient().As("billing");
        using var ops = factory.CreateClient().As("ops");
        var ordersJob = await CreateAsync(new { prompt = "for orders" }, orders);
        var billingJob = await CreateAsync(new { prompt = "for billing" }, billing);

        Assert.Equal(HttpStatusCode.NotFound, (await billing.GetAsync($"/v1/videos/{ordersJob}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await billing.DeleteAsync($"/v1/videos/{ordersJob}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await billing.GetAsync($"/v1/videos/{ordersJob}/content")).StatusCode);
        Assert.Equal("orders", (await ops.GetFromJsonAsync<JsonElement>($"/v1/videos/{ordersJob}")).GetProperty("caller").GetString());

        var billingList = (await billing.GetFromJsonAsync<JsonElement>("/v1/videos")).GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetGuid());
        Assert.Equal([billingJob], billingList);
        var all = (await ops.GetFromJsonAsync<JsonElement>("/v1/videos")).GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetGuid());
        Assert.Equal([billingJob, ordersJob], all);
    }

    [Fact]
    public async Task Idempotency_keys_are_per_caller()
    {
        using var orders = factory.CreateClient().As("orders");
        using var billing = factory.CreateClient().As("billing");
        async Task<Guid> WithKeyAsync(HttpClient http)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/videos") { Content = JsonContent.Create(new { prompt = "A beach" }) };
            request.Headers.Add("Idempotency-Key", "same-key");
            var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return (await BodyAsync(response)).GetProperty("id").GetGuid();
        }

        var first = await WithKeyAsync(orders);
        Assert.Equal(first, await WithKeyAsync(orders));
        Assert.NotEqual(first, await WithKeyAsync(billing));
    }

    [Fact]
    public async Task List_filters_by_status_newest_first_as_an_openai_list()
    {
        var ids = new List<Guid>();
        foreach (var prompt in new[] { "first", "second" }) ids.Add(await CreateAsync(new { prompt }));
        foreach (var id in ids) Assert.True(await factory.Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == id));

        var page = await client.GetFromJsonAsync<JsonElement>("/v1/videos?status=in_progress&limit=10");
        Assert.Equal("list", page.GetProperty("object").GetString());
        Assert.Equal(Enumerable.Reverse(ids), page.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()));
        Assert.Equal((ids[1], ids[0], false), (page.GetProperty("first_id").GetGuid(), page.GetProperty("last_id").GetGuid(), page.GetProperty("has_more").GetBoolean()));
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/v1/videos?status=failed")).GetProperty("data").EnumerateArray());
        var oldestFirst = await client.GetFromJsonAsync<JsonElement>("/v1/videos?order=asc");
        Assert.Equal(ids, oldestFirst.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()));

        Assert.Equal("status", (await OpenAiErrorAsync(await client.GetAsync("/v1/videos?status=lost"), HttpStatusCode.BadRequest)).GetProperty("param").GetString());
        Assert.Equal("limit", (await OpenAiErrorAsync(await client.GetAsync("/v1/videos?limit=0"), HttpStatusCode.BadRequest)).GetProperty("param").GetString());
        Assert.Equal("after", (await OpenAiErrorAsync(await client.GetAsync($"/v1/videos?after={Guid.NewGuid()}"), HttpStatusCode.BadRequest)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task Pages_stay_stable_while_other_videos_are_created()
    {
        for (var i = 0; i < 5; i++) await CreateAsync(new { prompt = $"before {i}" });
        var expected = (await client.GetFromJsonAsync<JsonElement>("/v1/videos?limit=100")).GetProperty("data").EnumerateArray()
            .Select(v => v.GetProperty("id").GetGuid()).ToList();

        var seen = new List<Guid>();
        string? after = null;
        var inserted = 0;
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/v1/videos?limit=2" + (after is null ? "" : $"&after={after}"));
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()));
            // Others create videos between our pages, as they would in production.
            await Task.WhenAll(Enumerable.Range(0, 2).Select(i => CreateAsync(new { prompt = $"meanwhile {inserted++}-{i}" })));
            if (!page.GetProperty("has_more").GetBoolean()) break;
            after = page.GetProperty("last_id").GetString();
        }

        Assert.Equal(expected, seen);
    }
}
