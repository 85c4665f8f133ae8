using System.Net.Http.Headers;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Callbacks;

/// <summary>
/// Posts each queued request's callback once it finishes, retrying non-2xx answers and network
/// errors with doubling waits, as a real gateway would. Deliveries run side by side, so one slow
/// receiver does not hold up the rest. A request's <see cref="SimulatedRequest.CallbackPlan"/> says
/// how its callback misbehaves: three concurrent copies, or held back and followed by a stale update.
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
            await WaitUntilAsync(request.FinishesAt, ct).ConfigureAwait(false);
            request.MarkFinished();
            var client = httpClients.CreateClient(HttpClientName);
            switch (request.CallbackPlan)
            {
                case CallbackPlan.Dropped:
                    // Never queued; lost in transit all the same should one get here.
                    return;

                case CallbackPlan.Tripled:
                    // Three POSTs at once, not one after another, each with its own retries: the receiver
                    // sees the same terminal callback arrive concurrently.
                    var body = CallbackPayload.For(request, clock.GetUtcNow());
                    await Task.WhenAll(Enumerable.Range(1, 3).Select(copy => SendAsync(client, request, body, $"copy {copy} of 3", ct)))
                        .ConfigureAwait(false);
                    return;

                case CallbackPlan.Reordered:
                    // Held back a random while, so reordered jobs are called back out of completion order;
                    // then, once the terminal callback is done with, a stale progress update follows it.
                    await WaitUntilAsync(request.FinishesAt + request.CallbackExtraDelay, ct).ConfigureAwait(false);
                    await SendAsync(client, request, CallbackPayload.For(request, clock.GetUtcNow()), "terminal", ct).ConfigureAwait(false);
                    await SendAsync(client, request, CallbackPayload.StaleProgress(request), "stale progress", ct).ConfigureAwait(false);
                    return;

                default:
                    await SendAsync(client, request, CallbackPayload.For(request, clock.GetUtcNow()), "terminal", ct).ConfigureAwait(false);
                    return;
            }
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

    private async Task WaitUntilAsync(DateTimeOffset due, CancellationToken ct)
    {
        var wait = due - clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Posts one callback, retrying non-2xx answers and network errors with doubling waits.</summary>
    private async Task SendAsync(HttpClient client, SimulatedRequest request, byte[] body, string what, CancellationToken ct)
    {
        request.RecordCallbackSent();
        for (var attempt = 1; attempt <= options.CallbackAttempts; attempt++)
        {
            var statusCode = await PostAsync(client, request, body, ct).ConfigureAwait(false);
            request.RecordCallbackAttempt(statusCode);
            if (statusCode is >= 200 and < 300)
            {
                LogDelivered(logger, request.RequestId, what, attempt, statusCode.Value);
                return;
            }

            if (attempt < options.CallbackAttempts)
            {
                var backoff = options.CallbackRetryBaseDelay * Math.Pow(2, attempt - 1);
                LogRetrying(logger, request.RequestId, what, attempt, statusCode, backoff);
                await Task.Delay(backoff, clock, ct).ConfigureAwait(false);
            }
        }

        LogGaveUp(logger, request.RequestId, what, options.CallbackAttempts);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback for {RequestId} ({What}) delivered on attempt {Attempt} (HTTP {StatusCode})")]
    private static partial void LogDelivered(ILogger logger, string requestId, string what, int attempt, int statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback for {RequestId} ({What}) attempt {Attempt} answered {StatusCode}; retrying in {Backoff}")]
    private static partial void LogRetrying(ILogger logger, string requestId, string what, int attempt, int? statusCode, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback for {RequestId} got no answer: {Reason}")]
    private static partial void LogNoAnswer(ILogger logger, string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Callback for {RequestId} could not be delivered")]
    private static partial void LogBroken(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback for {RequestId} ({What}) given up after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string requestId, string what, int attempts);
}
