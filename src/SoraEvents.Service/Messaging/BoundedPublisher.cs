using MassTransit;

namespace SoraEvents.Service.Messaging;

/// <summary>
/// Publishes from the HTTP path and waits for the broker's confirm, but never longer than the caller's bound (each
/// HTTP path has its own setting): publishes with confirms hang after a broker restart (rabbitmq-dotnet-client #1930,
/// fixed on its main branch but still present in 7.2.2, the version we run), and a caller waiting on us must get a
/// quick answer instead.
/// </summary>
public sealed class BoundedPublisher(IBus publish, BrokerFlow flow, ILogger<BoundedPublisher> logger)
{
    /// <summary>True once the broker confirmed the message; false when it did not within <paramref name="timeout"/>.</summary>
    public async Task<bool> TryPublishAsync<T>(T message, TimeSpan timeout, CancellationToken ct) where T : class
    {
        if (flow.Blocked is { } blocked)
        {
            logger.LogWarning("{MessageType} not published: RabbitMQ blocks publishers ({Reason})", typeof(T).Name, blocked.Reason);
            return false;
        }
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct, flow.WhenBlocked);
        bounded.CancelAfter(timeout);
        try
        {
            // WaitAsync as well as the token: the token alone does not cut short a confirm wait that ignores it.
            await publish.Publish(message, bounded.Token).WaitAsync(bounded.Token);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Our own bound ran out (broker down or slow): its stack trace would say nothing more than this line.
            logger.LogWarning("Publishing {MessageType} was not confirmed within {TimeoutSeconds} s", typeof(T).Name, timeout.TotalSeconds);
            return false;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Publishing {MessageType} was not confirmed within {TimeoutSeconds} s", typeof(T).Name, timeout.TotalSeconds);
            return false;
        }
    }
}
