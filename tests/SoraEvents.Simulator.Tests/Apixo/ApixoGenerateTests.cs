using SoraEvents.Imaging.Tests.Support;
using SoraEvents.Simulator.State;
using SoraEvents.Simulator.Tests.Support;
using static SoraEvents.Simulator.Tests.Support.JsonAssert;

namespace SoraEvents.Simulator.Tests.Apixo;

public sealed class ApixoGenerateTests
{
    private const string Unauthorized = """{"code":401,"message":"Invalid or missing API Key","data":null}""";

    private static object TextToVideo(string prompt = "a city at night") => new { input = new { mode = "text-to-video", prompt } };

    public static TheoryData<string, string?> BadKeys => new()
    {
        { "no Authorization header", null },
        { "wrong key", "Bearer not-the-key" },
        { "empty bearer", "Bearer " },
        { "other scheme", $"Basic {TestSimulator.Key}" },
        { "key without scheme", TestSimulator.Key },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task Missing_or_wrong_key_is_answered_401_in_the_envelope(string what, string? authorization)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/generateTask/sora-2-pro")
        {
            Content = new StringContent(ApixoDocument.TextToVideoRequest, System.Text.Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);

        Assert.True(401 == (int)response.StatusCode, what);
        Assert.Equal(Unauthorized, await response.Content.ReadAsStringAsync());
        Assert.Empty(simulator.State.Requests);
        Assert.Equal(1, simulator.State.Rejected[401]);
    }

    [Fact]
    public async Task Any_non_empty_bearer_key_is_accepted_when_no_key_is_configured()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.ApixoApiKey = null);
        using var client = new ApixoClient(simulator);

        using var response = await client.GenerateAsync(TextToVideo(), key: "anything");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Single(simulator.State.Requests);
    }

    [Fact]
    public async Task Pixazo_key_header_does_not_open_the_APIXO_door()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.PostAsync("api/v1/generateTask/sora-2-pro", ApixoDocument.TextToVideoRequest);

        Assert.Equal(401, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("size written with an x", """{"input":{"mode":"text-to-video","prompt":"p","size":"1280x720"}}""", "APIXO writes sizes with an asterisk, '1280*720'")]
    [InlineData("size not offered", """{"input":{"mode":"text-to-video","prompt":"p","size":"640*480"}}""", "input.size '640*480' is not supported; valid values: 720*1280, 1280*720, 1024*1792, 1792*1024")]
    [InlineData("duration 12", """{"input":{"mode":"text-to-video","prompt":"p","duration":12}}""", "input.duration must be 10 or 15 (seconds); got 12")]
    [InlineData("duration as a string", """{"input":{"mode":"text-to-video","prompt":"p","duration":"10"}}""", "input.duration must be 10 or 15")]
    [InlineData("callback without callback_url", """{"request_type":"callback","input":{"mode":"text-to-video","prompt":"p"}}""", "callback_url is required when request_type is callback")]
    [InlineData("callback_url not a URL", """{"request_type":"callback","callback_url":"not a url","input":{"mode":"text-to-video","prompt":"p"}}""", "callback_url must be an absolute http(s) URL")]
    [InlineData("image-to-video without image_urls", """{"input":{"mode":"image-to-video","prompt":"p"}}""", "input.image_urls is required for image-to-video")]
    [InlineData("image-to-video with no image", """{"input":{"mode":"image-to-video","prompt":"p","image_urls":[]}}""", "input.image_urls is required for image-to-video")]
    [InlineData("image_urls not an array", """{"input":{"mode":"image-to-video","prompt":"p","image_urls":"https://example.com/a.jpg"}}""", "input.image_urls must be an array of strings")]
    [InlineData("image_urls with a blank", """{"input":{"mode":"image-to-video","prompt":"p","image_urls":["https://example.com/a.jpg",""]}}""", "input.image_urls[1] must be a non-empty string")]
    [InlineData("unknown routing", """{"provider":"cheapest","input":{"mode":"text-to-video","prompt":"p"}}""", "provider must be one of auto, value, official; got 'cheapest'")]
    [InlineData("unknown request_type", """{"request_type":"sync","input":{"mode":"text-to-video","prompt":"p"}}""", "request_type must be one of async, callback; got 'sync'")]
    [InlineData("no input", """{"request_type":"async"}""", "input is required and must be an object")]
    [InlineData("no mode", """{"input":{"prompt":"p"}}""", "input.mode is required: text-to-video or image-to-video")]
    [InlineData("unknown mode", """{"input":{"mode":"video-to-video","prompt":"p"}}""", "input.mode must be one of text-to-video, image-to-video")]
    [InlineData("no prompt", """{"input":{"mode":"text-to-video"}}""", "input.prompt is required")]
    [InlineData("blank prompt", """{"input":{"mode":"text-to-video","prompt":"  "}}""", "input.prompt is required")]
    [InlineData("resolution for text-to-video", """{"input":{"mode":"text-to-video","prompt":"p","resolution":"720p"}}""", "input.resolution applies to image-to-video")]
    [InlineData("size for image-to-video", """{"input":{"mode":"image-to-video","prompt":"p","size":"1280*720","image_urls":["https://example.com/a.jpg"]}}""", "input.size applies to text-to-video")]
    [InlineData("resolution not offered", """{"input":{"mode":"image-to-video","prompt":"p","resolution":"4k","image_urls":["https://example.com/a.jpg"]}}""", "input.resolution must be one of 720p, 1080p; got '4k'")]
    [InlineData("image_urls for text-to-video", """{"input":{"mode":"text-to-video","prompt":"p","image_urls":["https://example.com/a.jpg"]}}""", "input.image_urls applies to image-to-video")]
    [InlineData("body not an object", """["text-to-video"]""", "Request body must be a JSON object")]
    public async Task Invalid_body_is_answered_HTTP_200_with_envelope_code_400_saying_what_is_wrong(string what, string json, string expected)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.PostAsync(json);
        var body = await ApixoClient.JsonAsync(response);

        Assert.True(200 == (int)response.StatusCode, what);
        HasExactly(body, "code", "message", "data");
        Assert.Equal(400, body.GetProperty("code").GetInt32());
        Assert.Contains(expected, Str(body, "message"), StringComparison.Ordinal);
        IsNull(body, "data");
        Assert.Empty(simulator.State.Requests);
        Assert.Equal(1, simulator.State.Rejected[400]);
    }

    [Fact]
    public async Task Every_problem_of_a_body_is_named_at_once()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.PostAsync("""{"request_type":"callback","input":{"mode":"text-to-video","prompt":"p","size":"1280x720","duration":12}}""");
        var message = Str(await ApixoClient.JsonAsync(response), "message");

        Assert.Contains("callback_url is required", message, StringComparison.Ordinal);
        Assert.Contains("input.size '1280x720'", message, StringComparison.Ordinal);
        Assert.Contains("input.duration", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_json_is_answered_HTTP_400()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.PostAsync("{\"input\": {");
        var body = await ApixoClient.JsonAsync(response);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(400, body.GetProperty("code").GetInt32());
        Assert.StartsWith("Request body is not valid JSON", Str(body, "message"), StringComparison.Ordinal);
        IsNull(body, "data");
    }

    [Theory]
    [InlineData("sora-2-pro")]
    [InlineData("sora-2")]
    [InlineData("veo-3.1-fast")]
    public async Task Any_model_in_the_path_is_accepted_and_recorded(string model)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        var taskId = await client.AcceptedTaskIdAsync(TextToVideo(), model);

        var task = simulator.State.Find(taskId)!;
        Assert.Equal(model, task.Model);
        Assert.Equal(new Uri(simulator.BaseUrl, $"api/v1/statusTask/{model}?taskId={taskId}").ToString(), task.PollingUrl);
        Assert.Null(task.VideoId);
        Assert.Equal(1, simulator.State.GenerateCalls);
    }

    [Theory]
    [InlineData("official", 10, 12)]
    [InlineData("official", 15, 12)]
    [InlineData("official", null, 12)]
    [InlineData("auto", 15, 15)]
    [InlineData("value", 10, 10)]
    [InlineData(null, null, 10)]
    public async Task Official_route_always_makes_12_seconds_whatever_duration_says(string? route, int? duration, int effective)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        var taskId = await client.AcceptedTaskIdAsync(new { provider = route, input = new { mode = "text-to-video", prompt = "p", duration } });

        var task = simulator.State.Find(taskId)!;
        Assert.Equal(duration, task.Seconds);
        Assert.Equal(effective, task.EffectiveSeconds);
        Assert.Equal(route ?? "auto", task.Route);
    }

    [Fact]
    public async Task Async_request_with_a_callback_url_is_never_called_back()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new ApixoClient(simulator);

        var taskId = await client.AcceptedTaskIdAsync(new { request_type = "async", callback_url = receiver.Url("hook"), input = new { mode = "text-to-video", prompt = "p" } });
        await simulator.State.WaitUntilAsync(s => s.Find(taskId)!.IsTerminal, TestSimulator.Patience);
        await Task.Delay(TestSimulator.Delay);

        Assert.Null(simulator.State.Find(taskId)!.CallbackUrl);
        Assert.Empty(receiver.Received);
    }

    public static TheoryData<string, string> ReadableImages => new()
    {
        { "png", TestImages.PngDataUri(800, 600) },
        { "jpeg", TestImages.JpegDataUri(1920, 1080) },
        { "webp", TestImages.DataUri("image/webp", TestImages.WebPLossless(333, 777)) },
    };

    [Theory]
    [MemberData(nameof(ReadableImages))]
    public async Task Data_uri_images_of_any_size_in_a_supported_format_are_accepted(string what, string image)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.GenerateAsync(new { input = new { mode = "image-to-video", prompt = "move", image_urls = new[] { image } } });
        var body = await ApixoClient.JsonAsync(response);

        Assert.True(200 == body.GetProperty("code").GetInt32(), $"{what}: {body}");
        Assert.Equal([image], Assert.Single(simulator.State.Requests).Images);
    }

    [Theory]
    [InlineData("data:image/png;base64,aGVsbG8gd29ybGQ=", "input.image_urls[0] is not a readable PNG, JPEG or WebP image")]
    [InlineData("data:image/gif;base64,R0lGODlhAQABAAAAACw=", "input.image_urls[0] is not a readable PNG, JPEG or WebP image")]
    [InlineData("data:image/png;base64,@@@", "input.image_urls[0] is not valid base64")]
    [InlineData("data:text/plain;base64,aGVsbG8=", "input.image_urls[0] must look like data:image/<type>;base64,<data>")]
    [InlineData("ftp://example.com/a.jpg", "input.image_urls[0] must be an http(s) URL or a data:image")]
    public async Task Unusable_data_uri_image_is_refused_with_envelope_400(string image, string expected)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.GenerateAsync(new { input = new { mode = "image-to-video", prompt = "move", image_urls = new[] { image } } });
        var body = await ApixoClient.JsonAsync(response);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(400, body.GetProperty("code").GetInt32());
        Assert.Contains(expected, Str(body, "message"), StringComparison.Ordinal);
        Assert.Empty(simulator.State.Requests);
    }

    [Fact]
    public async Task Image_larger_than_10_MB_is_refused()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);
        var png = TestImages.Png(1280, 720);
        var image = TestImages.DataUri("image/png", [.. png, .. new byte[(10 * 1024 * 1024) - png.Length + 1]]);

        using var response = await client.GenerateAsync(new { input = new { mode = "image-to-video", prompt = "move", image_urls = new[] { TestImages.PngDataUri(1280, 720), image } } });

        Assert.Contains("input.image_urls[1] is larger than 10 MB", Str(await ApixoClient.JsonAsync(response), "message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_it_serves_itself_is_read_and_refused_when_it_is_not_an_image()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);
        var page = simulator.ServeImage("photo.jpg", "<html>not found</html>"u8.ToArray(), "text/html");
        var good = simulator.ServeImage("good.png", TestImages.Png(640, 480), "image/png");

        using var response = await client.GenerateAsync(new { input = new { mode = "image-to-video", prompt = "move", image_urls = new[] { good.ToString(), page.ToString() } } });
        var body = await ApixoClient.JsonAsync(response);

        Assert.Equal(400, body.GetProperty("code").GetInt32());
        Assert.Contains("input.image_urls[1] is not a readable PNG, JPEG or WebP image", Str(body, "message"), StringComparison.Ordinal);
        Assert.DoesNotContain("image_urls[0]", Str(body, "message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_of_its_own_it_does_not_serve_is_accepted_and_fails_INVALID_IMAGE_URL()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        var taskId = await client.AcceptedTaskIdAsync(new { input = new { mode = "image-to-video", prompt = "move", image_urls = new[] { new Uri(simulator.BaseUrl, "_sim/images/missing.png").ToString() } } });
        await simulator.State.WaitUntilAsync(s => s.Find(taskId)!.IsTerminal, TestSimulator.Patience);
        var data = (await client.StatusJsonAsync(taskId)).GetProperty("data");

        Assert.Equal("failed", Str(data, "state"));
        Assert.Equal("INVALID_IMAGE_URL", Str(data, "failCode"));
        Assert.Equal("Cannot access provided image URL", Str(data, "failMsg"));
    }

    [Fact]
    public async Task Another_loopback_address_is_never_fetched_and_every_one_fails_alike_INVALID_IMAGE_URL()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var files = await CallbackReceiver.StartAsync();
        await using var ports = await ListeningPorts.StartAsync();
        using var client = new ApixoClient(simulator);
        files.Serve("/images/good.png", TestImages.Png(640, 480), "image/png");

        var outcomes = new List<string>();
        foreach (var image in new[] { files.Url("images/good.png"), $"http://127.0.0.1:{ports.ClosedPort}/a.png", $"http://127.0.0.1:{ports.RawPort}/a.png" })
        {
            var taskId = await client.AcceptedTaskIdAsync(new { input = new { mode = "image-to-video", prompt = "move", image_urls = new[] { image } } });
            await simulator.State.WaitUntilAsync(s => s.Find(taskId)!.IsTerminal, TestSimulator.Patience);
            var data = (await client.StatusJsonAsync(taskId)).GetProperty("data");
            outcomes.Add($"{Str(data, "state")} {Str(data, "failCode")} {Str(data, "failMsg")}");
        }

        Assert.All(outcomes, o => Assert.Equal("failed INVALID_IMAGE_URL Cannot access provided image URL", o));
        Assert.Equal(0, files.Downloads);
        Assert.Equal(0, ports.RawConnections);
    }

    [Fact]
    public async Task Remote_image_urls_are_accepted_unseen()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        var taskId = await client.AcceptedTaskIdAsync(new { input = new { mode = "image-to-video", prompt = "move", resolution = "720p", image_urls = new[] { "https://example.com/a.jpg", "https://example.com/b.webp" } } });

        var task = simulator.State.Find(taskId)!;
        Assert.Equal(["https://example.com/a.jpg", "https://example.com/b.webp"], task.Images);
        Assert.Equal("720p", task.Resolution);
        Assert.Equal(RequestKind.Image, task.Kind);
    }
}
