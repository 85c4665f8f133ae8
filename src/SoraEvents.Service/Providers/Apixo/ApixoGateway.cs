using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Providers.Apixo;

/// <summary>The APIXO Sora 2 Pro API. Its HttpClient arrives with base address and bearer token set.</summary>
public sealed class ApixoGateway(HttpClient http, GatewayTransport transport, IOptions<ProvidersOptions> options, TimeProvider time, ILogger<ApixoGateway> logger)
    : IVideoGateway
{
    private ApixoOptions Options => options.Value.Apixo;

    public string Name => VideoProviders.Apixo;

    public GatewayLimits Limits => Options.Limits;

    public PollSchedule Polling => Options.Polling;

    public IReadOnlyList<string> Refusals(GenerateVideo request, RequestImage? image) =>
        ApixoCapabilities.Refusals(request, image, Options.IsOfficialRoute);

    public async Task<GatewaySubmission> SubmitAsync(GenerateVideo request, Uri callbackUrl, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, ApixoRequestMapper.GeneratePath(ModelOf(request)))
        {
            Content = JsonContent.Create(ApixoRequestMapper.Map(request, Options, callbackUrl), options: ApixoJson.Options),
        };
        using var response = await transport.SendAsync(http, Name, Limits, message, ct);
        var envelope = await ReadEnvelopeAsync(response, ct);

        if (response.IsSuccessStatusCode && envelope?.Code == 200)
        {
            var taskId = envelope.Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("taskId", out var id) ? id.GetString() : null;
            if (string.IsNullOrWhiteSpace(taskId))
                // The gateway took the job but gave no id: a retry could pay twice, so the job stays claimed and its callback finds it.
                throw GatewayAnswers.UnreadableAcceptance(Name, "gave no taskId");
            logger.LogInformation("APIXO accepted job {JobId} as {ProviderRequestId}", request.JobId, taskId);
            return new GatewaySubmission(taskId);
        }
        throw Refusal(response, envelope);
    }

    public GatewayOutcome ReadCallback(string body) => ApixoOutcomes.Read(body);

    public async Task<GatewayOutcome> GetStatusAsync(GenerateVideo request, string providerRequestId, CancellationToken ct)
    {
        // APIXO files a task under the model it was created for; another model's status path does not know it.
        using var message = new HttpRequestMessage(HttpMethod.Get, ApixoRequestMapper.StatusPath(ModelOf(request), providerRequestId));
        using var response = await transport.SendAsync(http, Name, Limits, message, ct);
        var envelope = await ReadEnvelopeAsync(response, ct);
        if (!response.IsSuccessStatusCode || envelope?.Code != 200) throw Refusal(response, envelope);
        return envelope.Data is { } data ? ApixoOutcomes.Read(data.GetRawText()) : new GatewayOutcome.Unreadable("status without data");
    }

    private string ModelOf(GenerateVideo request) => string.IsNullOrWhiteSpace(request.Model) ? Options.Model : request.Model;

    private Exception Refusal(HttpResponseMessage response, ApixoEnvelope? envelope)
    {
        // APIXO reports most refusals inside an HTTP 200 envelope; the envelope code then says what HTTP would have.
        // An HTTP 200 whose envelope cannot be read, or says 200 without a task, is no refusal: it is left unknown.
        var status = envelope is { Code: not 200 } ? envelope.Code : (int)response.StatusCode;
        var text = envelope?.Message ?? response.ReasonPhrase ?? "no detail";
        return GatewayAnswers.ForRefusal(Name, status, text, HttpRetryAfter.From(response.Headers, time));
    }

    private static async Task<ApixoEnvelope?> ReadEnvelopeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<ApixoEnvelope>(ApixoJson.Options, ct);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
