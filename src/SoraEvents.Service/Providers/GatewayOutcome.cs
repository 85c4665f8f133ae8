namespace SoraEvents.Service.Providers;

/// <summary>What a callback or a status query says about a gateway task.</summary>
public abstract record GatewayOutcome
{
    /// <summary>The gateway's id for the task, when the message carries it.</summary>
    public string? ProviderRequestId { get; init; }

    /// <summary>The video is ready at these URLs.</summary>
    public sealed record Succeeded(IReadOnlyList<string> VideoUrls, DateTimeOffset? ExpiresAt) : GatewayOutcome;

    /// <summary>The gateway gave up on the task for good; <paramref name="Code"/> is a <c>VideoFailureCodes</c> value.</summary>
    public sealed record Failed(string Code, string Reason) : GatewayOutcome;

    /// <summary>The gateway failed the task without charging for it (Pixazo <c>ERROR</c>): worth a new attempt.</summary>
    public sealed record FailedUncharged(string Reason) : GatewayOutcome;

    /// <summary>Still queued or processing.</summary>
    public sealed record Pending(string State) : GatewayOutcome;

    /// <summary>Not a shape we know: a hint to ask the status API, never a failure by itself.</summary>
    public sealed record Unreadable(string Why) : GatewayOutcome;
}
