using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SoraEvents.Simulator.Tests.Support;

/// <summary>Talks to a simulator over HTTP the way a gateway client would.</summary>
internal sealed class PixazoClient : IDisposable
{
    public const string TextToVideo = "sora-video/v1/video/generate";
    public const string ImageToVideo = "sora-video/v1/video/i2v/generate";

    private readonly HttpClient http;

    public PixazoClient(RunningSimulator simulator)
    {
        http = new HttpClient { BaseAddress = simulator.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUrl => http.BaseAddress!;

    public Task<HttpResponseMessage> GenerateAsync(object body, string? webhookUrl = null, string? key = TestSimulator.Key) =>
        PostAsync(TextToVideo, JsonSerializer.Serialize(body), key, webhookUrl);

    public Task<HttpResponseMessage> GenerateFromImageAsync(object body, string? webhookUrl = null, string? key = TestSimulator.Key) =>
        PostAsync(ImageToVideo, JsonSerializer.Serialize(body), key, webhookUrl);

    public async Task<string> AcceptedRequestIdAsync(object body, string? webhookUrl = null)
    {
        using var response = await GenerateAsync(body, webhookUrl);
        var json = await JsonAsync(response);
        Assert.Equal(202, (int)response.StatusCode);
        return json.GetProperty("request_id").GetString()!;
    }

    public async Task<HttpResponseMessage> PostAsync(string path, string json, string? key = TestSimulator.Key, string? webhookUrl = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (key is not null)
        {
            request.Headers.Add("Ocp-Apim-Subscription-Key", key);
        }

        if (webhookUrl is not null)
        {
            request.Headers.Add("X-Webhook-URL", webhookUrl);
        }

        request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        return await http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> StatusAsync(string requestId, string? key = TestSimulator.Key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/requests/status/{requestId}");
        if (key is not null)
        {
            request.Headers.Add("Ocp-Apim-Subscription-Key", key);
        }

        return await http.SendAsync(request);
    }

    public async Task<JsonElement> StatusJsonAsync(string requestId)
    {
        using var response = await StatusAsync(requestId);
        Assert.Equal(200, (int)response.StatusCode);
        return await JsonAsync(response);
    }

    public Task<HttpResponseMessage> ResultAsync(string videoId, string? key = TestSimulator.Key) =>
        PostAsync("sora-video/v1/video/result", JsonSerializer.Serialize(new { video_id = videoId }), key);

    public Task<HttpResponseMessage> GetAsync(string pathOrUrl) => http.GetAsync(pathOrUrl);

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public void Dispose() => http.Dispose();
}
