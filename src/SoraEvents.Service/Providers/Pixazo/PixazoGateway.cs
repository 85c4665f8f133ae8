using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Providers.Pixazo;

/// <summary>The Pixazo Sora Video API. Its HttpClient arrives with base address and key header set.</summary>
public sealed class PixazoGateway(HttpClient http, GatewayTransport transport, IOptions<ProvidersOptions> options, TimeProvider time, ILogger<PixazoGateway> logger)
    : IVideoGateway
{
    public const string KeyHeader = "Ocp-Apim-Subscription-Key";
    public const string WebhookHeader = "X-Webhook-URL";

    public string Name => VideoProviders.Pixazo;

    public GatewayLimits Limits => options.Value.Pixazo.Limits;

    public PollSchedule Polling => options.Value.Pixazo.Polling;

    public IReadOnlyList<string> Refusals(GenerateVideo request, RequestImage? image) => PixazoCapabilities.Refusals(request, image);

    public async Task<GatewaySubmission> SubmitAsync(GenerateVideo request, Uri callbackUrl, CancellationToken ct)
    {
        var (path, body) = PixazoRequestMapper.Map(request, options.Value.Pixazo.Model, callbackUrl);
        using var message = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(body, options: PixazoJson.Options),
        };
        message.Headers.Add(WebhookHeader, callbackUrl.AbsoluteUri);
        message.Headers.CacheControl = new() { NoCache = true };

        using var response = await SendAsync(message, ct);
        if (response.IsSuccessStatusCode)
        {
            var accepted = await ReadJsonAsync<PixazoGenerateResponse>(response, ct);
            if (string.IsNullOrWhiteSpace(accepted?.RequestId))
                // The gateway took the job but gave no id we can read: a retry could pay twice, so the job stays claimed and its callback finds it.
                throw GatewayAnswers.UnreadableAcceptance(Name, "gave no request_id");
            logger.LogInformation("Pixazo accepted job {JobId} as {ProviderRequestId}", request.JobId, accepted.RequestId);
            return new GatewaySubmission(accepted.RequestId);
        }

        throw await RefusalAsync(response, ct);
    }

    public GatewayOutcome ReadCallback(string body) => PixazoOutcomes.Read(body);

    public async Task<GatewayOutcome> GetStatusAsync(GenerateVideo request, string providerRequestId, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, $"v2/requests/status/{Uri.EscapeDataString(providerRequestId)}");
        using var response = await SendAsync(message, ct);
        if (!response.IsSuccessStatusCode) throw await RefusalAsync(response, ct);
        var status = await response.Content.ReadFromJsonAsync<PixazoStatus>(PixazoJson.Options, ct);
        return status is null ? new GatewayOutcome.Unreadable("empty status body") : PixazoOutcomes.FromStatus(status);
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken ct) =>
        transport.SendAsync(http, Name, Limits, message, ct);

    private async Task<Exception> RefusalAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var error = await ReadJsonAsync<PixazoError>(response, ct);
        var text = error?.Message ?? error?.Error ?? response.ReasonPhrase ?? "no detail";
        return GatewayAnswers.ForRefusal(Name, (int)response.StatusCode, text, HttpRetryAfter.From(response.Headers, time));
    }

    /// <summary>The body as <typeparamref name="T"/>, or null when it is not that JSON (an API gateway's HTML error page, say).</summary>
    private static async Task<T?> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken ct) where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(PixazoJson.Options, ct);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
