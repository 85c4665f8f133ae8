using SoraEvents.Simulator.Tests.Support;
using static SoraEvents.Simulator.Tests.Support.JsonAssert;

namespace SoraEvents.Simulator.Tests.Media;

public sealed class MediaTests
{
    [Fact]
    public async Task Media_url_of_a_completed_request_serves_a_real_mp4()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves" });
        await simulator.State.WaitUntilAsync(s => s.Find(requestId)!.IsTerminal, TestSimulator.Patience);
        var mediaUrl = (await client.StatusJsonAsync(requestId)).GetProperty("output").GetProperty("media_url")[0].GetString()!;

        using var response = await client.GetAsync(mediaUrl);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.InRange(bytes.Length, 100, 20 * 1024);
        Assert.Equal("ftyp"u8.ToArray(), bytes[4..8]);
        Assert.Contains("moov", System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Media_supports_range_requests_like_a_cdn()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves" });
        await simulator.State.WaitUntilAsync(s => s.Find(requestId)!.IsTerminal, TestSimulator.Patience);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, simulator.State.Find(requestId)!.MediaUrl);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 7);

        using var response = await http.SendAsync(request);

        Assert.Equal(206, (int)response.StatusCode);
        Assert.Equal(8, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Media_of_an_unknown_request_is_404()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GetAsync("media/sora-video_00000000-0000-0000-0000-000000000000/output.mp4");

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("Not Found", Str(await PixazoClient.JsonAsync(response), "error"));
    }

    [Fact]
    public async Task Media_is_not_there_before_the_video_is_made()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.CallbackDelay = TimeSpan.FromSeconds(30));
        using var client = new PixazoClient(simulator);
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves" });

        using var response = await client.GetAsync($"media/{requestId}/output.mp4");

        Assert.Equal(404, (int)response.StatusCode);
    }
}
