namespace SoraEvents.Contracts;

/// <summary>The queues SoraEvents consumes from, and the dead-letter queue MassTransit keeps beside each.</summary>
public static class BusQueues
{
    /// <summary>Commands: <see cref="Contracts.GenerateVideo"/> envelopes, or plain <c>application/json</c> sent straight to it.</summary>
    public const string GenerateVideo = "generate-video";

    /// <summary>Gateway callbacks the webhook stored, waiting to be applied to their jobs.</summary>
    public const string CallbackReceived = "callback-received";

    /// <summary>What MassTransit appends to a queue's name for the queue of messages that could not be handled.</summary>
    public const string ErrorSuffix = "_error";

    /// <summary>The dead-letter queue of <paramref name="queue"/>.</summary>
    public static string ErrorQueueOf(string queue) => queue + ErrorSuffix;
}
