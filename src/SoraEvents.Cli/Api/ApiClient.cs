using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SoraEvents.Cli.Output;

namespace SoraEvents.Cli.Api;

/// <summary>The service's HTTP API; every failure becomes a <see cref="CliException"/> with one readable line.</summary>
internal sealed class ApiClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient http;
    private readonly Uri baseUrl;

    public ApiClient(Uri baseUrl, string? apiKey = null)
    {
        this.baseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        // Each request is bounded by RequestTimeout (and the caller's cancellation) instead.
        http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        if (apiKey is not null) http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, path)), ct);

    public Task<JsonElement> PostAsync(string path, object body, CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, path)) { Content = JsonContent.Create(body) }, ct);

    private async Task<JsonElement> SendAsync(Func<HttpRequestMessage> request, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        using var message = request();
        try
        {
            using var response = await http.SendAsync(message, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode)
                throw new CliException($"{message.Method} {Redact.Url(message.RequestUri!)} answered {(int)response.StatusCode}: {Problem.Describe(response.StatusCode, text)}");
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new CliException($"{message.Method} {Redact.Url(message.RequestUri!)} answered {(int)response.StatusCode} with something that is not JSON: {Text.OneLine(text, 120)}");
            }
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"cannot reach the SoraEvents API at {Redact.Url(baseUrl)}: {ErrorText.Innermost(ex)}", ExitCodes.Failure, ex);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"the SoraEvents API at {Redact.Url(baseUrl)} did not answer within {RequestTimeout.TotalSeconds:0} s");
        }
    }

    public void Dispose() => http.Dispose();
}

/// <summary>A ProblemDetails answer as one line: its title, detail and every validation message.</summary>
internal static class Problem
{
    public static string Describe(HttpStatusCode status, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Text.OneLine(body, 200);
            var parts = new List<string>();
            if (root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String) parts.Add(title.GetString()!);
            if (root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String) parts.Add(detail.GetString()!);
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                parts.AddRange(errors.EnumerateObject()
                    .SelectMany(e => e.Value.ValueKind == JsonValueKind.Array ? e.Value.EnumerateArray().Select(v => v.ToString()) : [e.Value.ToString()]));
            return parts.Count > 0 ? Text.OneLine(string.Join("; ", parts.Distinct())) : status.ToString();
        }
        catch (JsonException)
        {
            return string.IsNullOrWhiteSpace(body) ? status.ToString() : Text.OneLine(body, 200);
        }
    }
}
