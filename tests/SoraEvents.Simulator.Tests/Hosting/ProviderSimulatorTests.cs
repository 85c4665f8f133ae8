using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Simulator.Tests.Support;
using static SoraEvents.Simulator.Tests.Support.JsonAssert;

namespace SoraEvents.Simulator.Tests.Hosting;

public sealed class ProviderSimulatorTests
{
    [Fact]
    public async Task StartAsync_binds_a_real_loopback_port_and_reports_it()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };

        using var health = await http.GetAsync("health");

        Assert.Equal("127.0.0.1", simulator.BaseUrl.Host);
        Assert.NotEqual(0, simulator.BaseUrl.Port);
        Assert.EndsWith("/", simulator.BaseUrl.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(200, (int)health.StatusCode);
    }

    [Fact]
    public async Task Two_simulators_run_side_by_side_with_their_own_state()
    {
        await using var first = await TestSimulator.StartAsync();
        await using var second = await TestSimulator.StartAsync();
        using var client = new PixazoClient(first);

        await client.AcceptedRequestIdAsync(new { prompt = "waves" });

        Assert.NotEqual(first.BaseUrl, second.BaseUrl);
        Assert.Single(first.State.Requests);
        Assert.Empty(second.State.Requests);
    }

    [Fact]
    public async Task Disposing_stops_listening()
    {
        var simulator = await TestSimulator.StartAsync();
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };

        await simulator.DisposeAsync();
        await simulator.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("health"));
    }

    [Fact]
    public async Task Polling_and_media_urls_use_PublicBaseUrl_when_it_is_set()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.PublicBaseUrl = "https://gateway.example.test/");
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateAsync(new { prompt = "waves" });
        var body = await PixazoClient.JsonAsync(response);
        var requestId = Str(body, "request_id");

        Assert.Equal($"https://gateway.example.test/v2/requests/status/{requestId}", Str(body, "polling_url"));
        Assert.Equal($"https://gateway.example.test/media/{requestId}/output.mp4", simulator.State.Find(requestId)!.MediaUrl);
    }

    [Fact]
    public async Task Options_are_copied_at_start_so_later_changes_do_not_leak_in()
    {
        var options = new SimulatorOptions { PixazoApiKey = "first", CallbackDelay = TestSimulator.Delay };
        await using var simulator = await ProviderSimulator.StartAsync(options);
        using var client = new PixazoClient(simulator);

        options.PixazoApiKey = "second";
        using var response = await client.GenerateAsync(new { prompt = "waves" }, key: "first");

        Assert.Equal(202, (int)response.StatusCode);
        Assert.Equal("first", simulator.Options.PixazoApiKey);
    }

    [Theory]
    [InlineData(nameof(SimulatorOptions.CallbackAttempts))]
    [InlineData(nameof(SimulatorOptions.CallbackDelay))]
    [InlineData(nameof(SimulatorOptions.PublicBaseUrl))]
    [InlineData(nameof(SimulatorOptions.ApixoRequestsPerMinute))]
    [InlineData(nameof(SimulatorOptions.ApixoConcurrentTasks))]
    public async Task Invalid_options_are_refused_before_anything_listens(string option)
    {
        var options = new SimulatorOptions();
        switch (option)
        {
            case nameof(SimulatorOptions.CallbackAttempts): options.CallbackAttempts = 0; break;
            case nameof(SimulatorOptions.CallbackDelay): options.CallbackDelay = TimeSpan.FromSeconds(-1); break;
            case nameof(SimulatorOptions.ApixoRequestsPerMinute): options.ApixoRequestsPerMinute = 0; break;
            case nameof(SimulatorOptions.ApixoConcurrentTasks): options.ApixoConcurrentTasks = 0; break;
            default: options.PublicBaseUrl = "not-a-url"; break;
        }

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => ProviderSimulator.StartAsync(options));

        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public async Task Standalone_build_binds_the_Simulator_configuration_section()
    {
        await using var app = ProviderSimulator.Build(options: null, ["--urls=http://127.0.0.1:0", "--Simulator:PixazoApiKey=from-config", "--Simulator:CallbackShape=Result"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        using var wrongKey = await Post(http, "test-key");
        using var rightKey = await Post(http, "from-config");

        Assert.Equal(401, (int)wrongKey.StatusCode);
        Assert.Equal(202, (int)rightKey.StatusCode);
        Assert.Equal(CallbackShape.Result, app.Services.GetRequiredService<SimulatorOptions>().CallbackShape);
        await app.StopAsync();

        static Task<HttpResponseMessage> Post(HttpClient http, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "sora-video/v1/video/generate")
            {
                Content = new StringContent("""{"prompt":"waves"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Ocp-Apim-Subscription-Key", key);
            return http.SendAsync(request);
        }
    }

    [Fact]
    public async Task Standalone_build_binds_the_APIXO_options()
    {
        await using var app = ProviderSimulator.Build(options: null, ["--urls=http://127.0.0.1:0", "--Simulator:ApixoApiKey=apixo-key", "--Simulator:ApixoRequestsPerMinute=7", "--Simulator:ApixoConcurrentTasks=3", "--Simulator:ApixoCallbackShape=Bare"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        using var wrongKey = await Post(http, "test-key");
        using var rightKey = await Post(http, "apixo-key");

        var options = app.Services.GetRequiredService<SimulatorOptions>();
        Assert.Equal(401, (int)wrongKey.StatusCode);
        Assert.Equal(200, (await ApixoClient.JsonAsync(rightKey)).GetProperty("code").GetInt32());
        Assert.Equal((7, 3, ApixoCallbackShape.Bare), (options.ApixoRequestsPerMinute, options.ApixoConcurrentTasks, options.ApixoCallbackShape));
        await app.StopAsync();

        static Task<HttpResponseMessage> Post(HttpClient http, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/generateTask/sora-2-pro")
            {
                Content = new StringContent(ApixoDocument.TextToVideoRequest, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            return http.SendAsync(request);
        }
    }

    [Fact]
    public async Task Sim_requests_shows_which_gateway_took_each_request()
    {
        // Still queued when the test looks, however slow the machine: the jobs take ten minutes here.
        await using var simulator = await TestSimulator.StartAsync(o => o.CallbackDelay = TimeSpan.FromMinutes(10));
        using var pixazo = new PixazoClient(simulator);
        using var apixo = new ApixoClient(simulator);
        var requestId = await pixazo.AcceptedRequestIdAsync(new { prompt = "waves" });
        var taskId = await apixo.AcceptedTaskIdAsync(new { provider = "official", input = new { mode = "text-to-video", prompt = "city", duration = 15, size = "720*1280" } });

        using var response = await pixazo.GetAsync("_sim/requests");
        var listed = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToArray();

        Assert.Equal(2, listed.Length);
        Assert.Equal((requestId, "pixazo", "QUEUED"), (Str(listed[0], "request_id"), Str(listed[0], "provider"), Str(listed[0], "status")));
        Assert.Equal((taskId, "apixo", "pending"), (Str(listed[1], "request_id"), Str(listed[1], "provider"), Str(listed[1], "status")));
        Assert.Equal("official", Str(listed[1], "route"));
        Assert.Equal("720*1280", Str(listed[1], "size"));
        Assert.Equal(15, listed[1].GetProperty("seconds").GetInt32());
        Assert.Equal(12, listed[1].GetProperty("effective_seconds").GetInt32());
        Assert.Equal("sora-2-pro", Str(listed[1], "model"));
        IsNull(listed[1], "video_id");
    }

    [Fact]
    public async Task Sim_requests_lists_accepted_requests_without_callback_secrets()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = "http://user:pw@127.0.0.1:9/hooks/pixazo?token=s3cret" });

        using var response = await client.GetAsync("_sim/requests");
        var text = await response.Content.ReadAsStringAsync();
        var listed = Assert.Single(JsonDocument.Parse(text).RootElement.EnumerateArray());

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(requestId, Str(listed, "request_id"));
        Assert.Equal("http://127.0.0.1:9/hooks/pixazo?(redacted)", Str(listed, "callback_url"));
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForRequestAsync_times_out_with_TimeoutException()
    {
        await using var simulator = await TestSimulator.StartAsync();

        await Assert.ThrowsAsync<TimeoutException>(() =>
            simulator.State.WaitForRequestAsync(_ => true, TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task WaitForRequestAsync_completes_when_a_matching_request_arrives()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var waiting = simulator.State.WaitForRequestAsync(r => r.Prompt == "second", TestSimulator.Patience);

        await client.AcceptedRequestIdAsync(new { prompt = "first" });
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "second" });

        Assert.Equal(requestId, (await waiting).RequestId);
    }
}
