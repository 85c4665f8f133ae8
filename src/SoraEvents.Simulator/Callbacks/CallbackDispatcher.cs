using System.Net.Http.Headers;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Callbacks;

/// <summary>
/// Posts each queued request's callback once it finishes, retrying non-2xx answers and network
/// errors with doubling waits, as a real gateway would. Deliveries run side by side, so one slow
/// receiver does not hold up the rest.
/// </summary>
internal sealed partial class CallbackDispatcher(
    CallbackQueue queue,
    IHttpClientFactory httpClients,
    SimulatorOptions options,
    TimeProvider clock,
    ILogger<CallbackDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "SoraEvents.Simulator.Callbacks";

    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var deliveries = new List<Task>();
        try
        {
            await foreach (var request in queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                deliveries.RemoveAll(delivery => delivery.IsCompleted);
                deliveries.Add(DeliverAsync(request, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the deliveries below see the same token and wind down.
        }

        await Task.WhenAll(deliveries).ConfigureAwait(false);
    }

    private async Task DeliverAsync(SimulatedRequest request, CancellationToken ct)
    {
        try
        {
            var wait = request.FinishesAt - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, ct).ConfigureAwait(false);
            }

            request.MarkFinished();
            var body = CallbackPayload.For(request, clock.GetUtcNow());
            var client = httpClients.CreateClient(HttpClientName);
            for (var attempt = 1; attempt <= options.CallbackAttempts; attempt++)
            {
                var statusCode = await PostAsync(client, request, body, ct).ConfigureAwait(false);
                request.RecordCallbackAttempt(statusCode);
                if (statusCode is >= 200 and < 300)
                {
                    LogDelivered(logger, request.RequestId, attempt, statusCode.Value);
                    return;
                }

                if (attempt < options.CallbackAttempts)
                {
                    var backoff = options.CallbackRetryBaseDelay * Math.Pow(2, attempt - 1);
                    LogRetrying(logger, request.RequestId, attempt, statusCode, backoff);
                    await Task.Delay(backoff, clock, ct).ConfigureAwait(false);
                }
            }

            LogGaveUp(logger, request.RequestId, options.CallbackAttempts);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The simulator is stopping; an undelivered callback is what a receiver must survive anyway.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One broken delivery must not take the dispatcher, and with it every other callback, down.
            LogBroken(logger, ex, request.RequestId);
        }
    }

    /// <returns>The receiver's status code, or null when it gave no answer.</returns>
    private async Task<int?> PostAsync(HttpClient client, SimulatedRequest request, byte[] body, CancellationToken ct)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(request.CallbackUrl, content, ct).ConfigureAwait(false);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException ex)
        {
            // The exception's message may carry the URL; only its category is logged.
            LogNoAnswer(logger, request.RequestId, ex.HttpRequestError.ToString());
            return null;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            LogNoAnswer(logger, request.RequestId, $"no answer within {AttemptTimeout.TotalSeconds:0} s");
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback for {RequestId} delivered on attempt {Attempt} (HTTP {StatusCode})")]
    private static partial void LogDelivered(ILogger logger, string requestId, int attempt, int statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback for {RequestId} attempt {Attempt} answered {StatusCode}; retrying in {Backoff}")]
    private static partial void LogRetrying(ILogger logger, string requestId, int attempt, int? statusCode, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback for {RequestId} got no answer: {Reason}")]
    private static partial void LogNoAnswer(ILogger logger, string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Callback for {RequestId} could not be delivered")]
    private static partial void LogBroken(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback for {RequestId} given up after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string requestId, int attempts);
}
