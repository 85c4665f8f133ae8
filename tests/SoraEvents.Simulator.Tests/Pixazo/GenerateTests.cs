using System.Text.RegularExpressions;
using SoraEvents.Simulator.State;
using SoraEvents.Simulator.Tests.Support;
using static SoraEvents.Simulator.Tests.Support.JsonAssert;

namespace SoraEvents.Simulator.Tests.Pixazo;

public sealed class GenerateTests
{
    [Fact]
    public async Task Generate_answers_202_with_exactly_the_documented_shape()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateAsync(new { prompt = "A serene beach", model = "sora-2-pro", size = "1280x720", seconds = 4 });
        var body = await PixazoClient.JsonAsync(response);

        Assert.Equal(202, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        HasExactly(body, "request_id", "status", "polling_url");
        var requestId = Str(body, "request_id");
        Assert.Matches(new Regex("^sora-video_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"), requestId);
        Assert.Equal("QUEUED", Str(body, "status"));
        Assert.Equal(new Uri(simulator.BaseUrl, $"v2/requests/status/{requestId}").ToString(), Str(body, "polling_url"));
    }

    [Fact]
    public async Task Generate_records_the_accepted_request_with_what_was_sent()
    {
        // Still queued when the test looks, however slow the machine: the job takes ten minutes here.
        await using var simulator = await TestSimulator.StartAsync(o => o.CallbackDelay = TimeSpan.FromMinutes(10));
        using var client = new PixazoClient(simulator);

        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "A futuristic city", size = "1792x1024", seconds = 12 });

        var request = Assert.Single(simulator.State.Requests);
        Assert.Equal(requestId, request.RequestId);
        Assert.Matches("^video_[0-9a-f]{48}$", request.VideoId);
        Assert.Equal(RequestKind.Text, request.Kind);
        Assert.Equal("A futuristic city", request.Prompt);
        Assert.Equal("sora-2-pro", request.Model);
        Assert.Equal("1792x1024", request.Size);
        Assert.Equal(12, request.Seconds);
        Assert.Null(request.CallbackUrl);
        Assert.Null(request.CallbackShape);
        Assert.Equal(SimulatedJobStatus.Queued, request.Status);
        Assert.Same(request, simulator.State.Find(request.VideoId!));
    }

    [Fact]
    public async Task Generate_without_key_is_rejected_with_401()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateAsync(new { prompt = "hello" }, key: null);
        var body = await PixazoClient.JsonAsync(response);

        Assert.Equal(401, (int)response.StatusCode);
        HasExactly(body, "error", "message");
        Assert.Equal("Unauthorized", Str(body, "error"));
        Assert.Empty(simulator.State.Requests);
    }

    [Fact]
    public async Task Generate_with_wrong_key_is_rejected_with_401()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateAsync(new { prompt = "hello" }, key: "not-the-key");

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Unauthorized", Str(await PixazoClient.JsonAsync(response), "error"));
    }

    [Fact]
    public async Task Generate_accepts_any_non_empty_key_when_none_is_configured()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.PixazoApiKey = null);
        using var client = new PixazoClient(simulator);

        using var anyKey = await client.GenerateAsync(new { prompt = "hello" }, key: "whatever");
        using var noKey = await client.GenerateAsync(new { prompt = "hello" }, key: null);

        Assert.Equal(202, (int)anyKey.StatusCode);
        Assert.Equal(401, (int)noKey.StatusCode);
    }

    [Fact]
    public async Task Generate_with_an_unknown_model_answers_the_documented_model_not_found_body()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateAsync(new { prompt = "hello", model = "sora-video" });
        var body = await PixazoClient.JsonAsync(response);

        Assert.Equal(400, (int)response.StatusCode);
        HasExactly(body, "error", "message");
        Assert.Equal("Model not found", Str(body, "error"));
        Assert.Equal("Model 'sora-video' not found or is disabled", Str(body, "message"));
    }

    [Theory]
    [InlineData("""{"size":"1280x720"}""", "prompt is required")]
    [InlineData("""{"prompt":"   "}""", "prompt is required")]
    [InlineData("""{"prompt":42}""", "prompt must be a string")]
    [InlineData("""{"prompt":"p","size":"1920x1080"}""", "size '1920x1080' is not supported")]
    [InlineData("""{"prompt":"p","seconds":5}""", "seconds must be an integer, one of 4, 8, 12")]
    [InlineData("""{"prompt":"p","seconds":"4"}""", "seconds must be an integer")]
    [InlineData("""{"prompt":"p","seconds":4.5}""", "seconds must be an integer")]
    [InlineData("""{"prompt":"p","callback_url":"not a url"}""", "callback_url must be an absolute http(s) URL")]
    [InlineData("""{"prompt":"p","callback_url":"ftp://example.com/hook"}""", "callback_url must be an absolute http(s) URL")]
    [InlineData("""["prompt"]""", "must be a JSON object")]
    [InlineData("""{"prompt":""", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    public async Task Generate_with_an_invalid_body_is_rejected_with_400_saying_what_is_wrong(string json, string expected)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.PostAsync(PixazoClient.TextToVideo, json);
        var body = await PixazoClient.JsonAsync(response);

        Assert.Equal(400, (int)response.StatusCode);
        HasExactly(body, "error", "message");
        Assert.Equal("Bad Request", Str(body, "error"));
        Assert.Contains(expected, Str(body, "message"), StringComparison.Ordinal);
        Assert.Empty(simulator.State.Requests);
    }

    [Fact]
    public async Task Generate_names_every_problem_of_a_body_at_once()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateAsync(new { prompt = "", size = "1x1", seconds = 3 });
        var message = Str(await PixazoClient.JsonAsync(response), "message");

        Assert.Contains("prompt", message, StringComparison.Ordinal);
        Assert.Contains("size", message, StringComparison.Ordinal);
        Assert.Contains("seconds", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_X_Webhook_URL_header_is_rejected_with_400()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateAsync(new { prompt = "hello" }, webhookUrl: "/relative/hook");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("X-Webhook-URL", Str(await PixazoClient.JsonAsync(response), "message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_generate_call_is_counted_and_rejections_are_counted_by_status()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        (await client.GenerateAsync(new { prompt = "ok" })).Dispose();
        (await client.GenerateAsync(new { prompt = "no key" }, key: null)).Dispose();
        (await client.GenerateAsync(new { prompt = "bad", seconds = 7 })).Dispose();
        (await client.GenerateAsync(new { prompt = "bad", model = "x" })).Dispose();

        Assert.Equal(4, simulator.State.GenerateCalls);
        Assert.Single(simulator.State.Requests);
        var rejected = simulator.State.Rejected;
        Assert.Equal(2, rejected[400]);
        Assert.Equal(1, rejected[401]);
        Assert.Equal(2, rejected.Count);
    }
}
