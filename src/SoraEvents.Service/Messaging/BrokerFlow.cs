namespace SoraEvents.Service.Messaging;

/// <summary>
/// Whether RabbitMQ is blocking our publishers (a memory or disk alarm), as the broker told the webhook's publishing
/// connection (<c>connection.blocked</c> / <c>connection.unblocked</c>). While it does, nothing we publish is
/// confirmed, so the HTTP path answers 503 at once and readiness reports it instead of waiting out every timeout.
/// </summary>
public sealed class BrokerFlow(TimeProvider time, ILogger<BrokerFlow> logger)
{
    private readonly object gate = new();
    private CancellationTokenSource blocking = new();

    public BlockedPublishing? Blocked { get; private set; }

    /// <summary>Cancelled the moment the broker starts blocking; a publish waiting for its confirm gives up then.</summary>
    public CancellationToken WhenBlocked
    {
        get
        {
            lock (gate) return blocking.Token;
        }
    }

    public void Block(string reason)
    {
        CancellationTokenSource signal;
        lock (gate)
        {
            if (Blocked is not null) return;
            Blocked = new BlockedPublishing(reason, time.GetUtcNow());
            signal = blocking;
        }
        logger.LogWarning("RabbitMQ blocks publishers: {Reason}", reason);
        signal.Cancel();
    }

    /// <summary>The broker lifted the block, or the connection that was blocked is gone and so is what we knew.</summary>
    public void Unblock()
    {
        lock (gate)
        {
            if (Blocked is null) return;
            Blocked = null;
            blocking.Dispose();
            blocking = new CancellationTokenSource();
        }
        logger.LogInformation("RabbitMQ accepts publishers again");
    }
}

public sealed record BlockedPublishing(string Reason, DateTimeOffset Since);
