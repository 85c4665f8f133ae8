namespace SoraEvents.Contracts;

/// <summary>
/// The RabbitMQ exchange of each message, named the MassTransit way (<c>namespace:type</c>). Publish a command to its
/// exchange; bind a queue of your own to an event's exchange to receive it.
/// </summary>
public static class BusExchanges
{
    /// <summary>Where <see cref="Contracts.GenerateVideo"/> is published as a MassTransit envelope.</summary>
    public const string GenerateVideo = "SoraEvents.Contracts:GenerateVideo";

    /// <summary>Where <see cref="Contracts.VideoSubmitted"/> is published.</summary>
    public const string VideoSubmitted = "SoraEvents.Contracts:VideoSubmitted";

    /// <summary>Where <see cref="Contracts.VideoCompleted"/> is published.</summary>
    public const string VideoCompleted = "SoraEvents.Contracts:VideoCompleted";

    /// <summary>Where <see cref="Contracts.VideoFailed"/> is published.</summary>
    public const string VideoFailed = "SoraEvents.Contracts:VideoFailed";

    /// <summary>Every event's exchange: what a listener binds to follow jobs from submission to their outcome.</summary>
    public static IReadOnlyList<string> Events { get; } = [VideoSubmitted, VideoCompleted, VideoFailed];
}
