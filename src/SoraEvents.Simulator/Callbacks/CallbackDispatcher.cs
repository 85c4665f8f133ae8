using System.Net.Http.Headers;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Callbacks;

/// <summary>
/// Posts each queued request's callback once it finishes, retrying non-2xx answers and network
/// errors with doubling waits, as a real gateway would. Deliveries run side by side, so one slow
/// receiver does not hold up the rest. A request's <see cref="SimulatedRequest.CallbackPlan"/> says
/// how its callback misbehaves: three concurrent copies, or held back and followed by a stale update.
/// </summary>
internal sealed class CallbackDispatcher(
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
            await foreach (var request in queue.Reader.ReadAllAsync(stoppingToken))
            {
                deliveries.RemoveAll(delivery => delivery.IsCompleted);
                deliveries.Add(DeliverAsync(request, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the deliveries below see the same token and wind down.
        }

        await Task.WhenAll(deliveries);
    }

    private async Task DeliverAsync(SimulatedRequest request, CancellationToken ct)
    {
        try
        {
            await WaitUntilAsync(request.FinishesAt, ct);
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
                    await Task.WhenAll(Enumerable.Range(1, 3).Select(copy => SendAsync(client, request, body, $"copy {copy} of 3", ct)));
                    return;

                case CallbackPlan.Reordered:
                    // Held back a random while, so reordered jobs are called back out of completion order;
                    // then, once the terminal callback is done with, a stale progress update follows it.
                    await WaitUntilAsync(request.FinishesAt + request.CallbackExtraDelay, ct);
                    await SendAsync(client, request, CallbackPayload.For(request, clock.GetUtcNow()), "terminal", ct);
                    await SendAsync(client, request, CallbackPayload.StaleProgress(request), "stale progress", ct);
                    return;

                default:
                    await SendAsync(client, request, CallbackPayload.For(request, clock.GetUtcNow()), "terminal", ct);
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
            logger.LogError(ex, "Callback for {RequestId} could not be delivered", request.RequestId);
        }
    }

    private async Task WaitUntilAsync(DateTimeOffset due, CancellationToken ct)
    {
        var wait = due - clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, ct);
        }
    }

    /// <summary>Posts one callback, retrying non-2xx answers and network errors with doubling waits.</summary>
    private async Task SendAsync(HttpClient client, SimulatedRequest request, byte[] body, string what, CancellationToken ct)
    {
        request.RecordCallbackSent();
        for (var attempt = 1; attempt <= options.CallbackAttempts; attempt++)
        {
            var statusCode = await PostAsync(client, request, body, ct);
            request.RecordCallbackAttempt(statusCode);
            if (statusCode is >= 200 and < 300)
            {
                logger.LogInformation("Callback for {RequestId} ({What}) delivered on attempt {Attempt} (HTTP {StatusCode})", request.RequestId, what, attempt, statusCode.Value);
                return;
            }

            if (attempt < options.CallbackAttempts)
            {
                var backoff = options.CallbackRetryBaseDelay * Math.Pow(2, attempt - 1);
                logger.LogInformation("Callback for {RequestId} ({What}) attempt {Attempt} answered {StatusCode}; retrying in {Backoff}", request.RequestId, what, attempt, statusCode, backoff);
                await Task.Delay(backoff, clock, ct);
            }
        }

        logger.LogWarning("Callback for {RequestId} ({What}) given up after {Attempts} attempts", request.RequestId, what, options.CallbackAttempts);
    }

    /// <returns>The receiver's status code, or null when it gave no answer.</returns>
    private async Task<int?> PostAsync(HttpClient client, SimulatedRequest request, byte[] body, CancellationToken ct)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(request.CallbackUrl, content, ct);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException ex)
        {
            // The exception's message may carry the URL; only its category is logged.
            logger.LogInformation("Callback for {RequestId} got no answer: {Reason}", request.RequestId, ex.HttpRequestError.ToString());
            return null;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogInformation("Callback for {RequestId} got no answer: {Reason}", request.RequestId, $"no answer within {AttemptTimeout.TotalSeconds:0} s");
            return null;
        }
    }
}
