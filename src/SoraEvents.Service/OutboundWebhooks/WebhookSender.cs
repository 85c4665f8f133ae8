using System.Text;
using Microsoft.Extensions.Options;
using SoraEvents.Service.OutboundHttp;
using StandardWebhooks;

namespace SoraEvents.Service.OutboundWebhooks;

/// <summary>What one attempt came to: delivered (2xx), or why not.</summary>
public sealed record WebhookAttempt(bool Delivered, string? Error)
{
    public static readonly WebhookAttempt Success = new(true, null);

    public static WebhookAttempt Failed(string error) => new(false, error);
}

/// <summary>
/// One signed POST to one endpoint (Standard Webhooks: <c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature</c>), through the guarded client of <see cref="OutboundPolicy"/>: checked address at connect
/// time, no redirect followed, at most <see cref="OutboundWebhooksOptions.Timeout"/>.
/// </summary>
public sealed class WebhookSender(HttpClient http, IOptions<OutboundWebhooksOptions> options, TimeProvider time)
{
    public async Task<WebhookAttempt> SendAsync(WebhookEndpoint endpoint, string eventId, string body, CancellationToken ct)
    {
        var timestamp = time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", eventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(endpoint.Secret).Sign(eventId, timestamp, body));

        using var timeout = new CancellationTokenSource(options.Value.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300 ? WebhookAttempt.Success : WebhookAttempt.Failed($"answered {status}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return WebhookAttempt.Failed($"no answer within {options.Value.TimeoutSeconds:0.#} s");
        }
        catch (OutboundRefusedException ex)
        {
            return WebhookAttempt.Failed(ex.Message);
        }
        catch (HttpRequestException ex)
        {
            // Only the kind of error: the exception's message may name the URL, whose query can carry a receiver's token.
            return WebhookAttempt.Failed($"not reached: {ex.HttpRequestError}");
        }
    }
}
