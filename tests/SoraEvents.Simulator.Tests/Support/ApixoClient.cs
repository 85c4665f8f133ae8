using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SoraEvents.Simulator.Tests.Support;

/// <summary>Talks to a simulator's APIXO endpoints over HTTP the way a gateway client would.</summary>
internal sealed class ApixoClient : IDisposable
{
    public const string Model = "sora-2-pro";

    private readonly HttpClient http;

    public ApixoClient(RunningSimulator simulator)
    {
        http = new HttpClient { BaseAddress = simulator.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Task<HttpResponseMessage> GenerateAsync(object body, string model = Model, string? key = TestSimulator.Key) =>
        PostAsync(JsonSerializer.Serialize(body), model, key);

    public async Task<HttpResponseMessage> PostAsync(string json, string model = Model, string? key = TestSimulator.Key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/generateTask/{model}")
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        Authorize(request, key);
        return await http.SendAsync(request);
    }

    /// <summary>Generates and returns the task id, failing the test unless the answer is the documented success.</summary>
    public async Task<string> AcceptedTaskIdAsync(object body, string model = Model)
    {
        using var response = await GenerateAsync(body, model);
        var json = await JsonAsync(response);
        Assert.True(200 == (int)response.StatusCode && json.GetProperty("code").GetInt32() == 200, json.GetRawText());
        return json.GetProperty("data").GetProperty("taskId").GetString()!;
    }

    public async Task<HttpResponseMessage> StatusAsync(string? taskId, string model = Model, string? key = TestSimulator.Key)
    {
        var path = taskId is null ? $"api/v1/statusTask/{model}" : $"api/v1/statusTask/{model}?taskId={Uri.EscapeDataString(taskId)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        Authorize(request, key);
        return await http.SendAsync(request);
    }

    /// <summary>The whole status answer, after checking it is HTTP 200 with code 200.</summary>
    public async Task<JsonElement> StatusJsonAsync(string taskId, string model = Model)
    {
        using var response = await StatusAsync(taskId, model);
        var json = await JsonAsync(response);
        Assert.True(200 == (int)response.StatusCode && json.GetProperty("code").GetInt32() == 200, json.GetRawText());
        return json;
    }

    public Task<HttpResponseMessage> GetAsync(string pathOrUrl) => http.GetAsync(pathOrUrl);

    public static Task<JsonElement> JsonAsync(HttpResponseMessage response) => PixazoClient.JsonAsync(response);

    public void Dispose() => http.Dispose();

    private static void Authorize(HttpRequestMessage request, string? key)
    {
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }
}
