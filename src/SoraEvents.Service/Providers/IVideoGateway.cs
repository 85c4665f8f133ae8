using SoraEvents.Contracts;

namespace SoraEvents.Service.Providers;

/// <summary>One third-party video gateway: submit a job, read its callbacks, ask for its status.</summary>
public interface IVideoGateway
{
    /// <summary>The provider name used on the bus and in callback URLs (<see cref="VideoProviders"/>).</summary>
    string Name { get; }

    /// <summary>
    /// Creates the gateway task. Throws <see cref="GatewayRejectedException"/> for a permanent refusal and
    /// <see cref="GatewayUnavailableException"/> when the gateway certainly did not create a task and a retry may work.
    /// </summary>
    Task<GatewaySubmission> SubmitAsync(GenerateVideo request, Uri callbackUrl, CancellationToken ct);

    /// <summary>Reads a callback body. Never throws for content: what it cannot read is <see cref="GatewayOutcome.Unreadable"/>.</summary>
    GatewayOutcome ReadCallback(string body);

    /// <summary>Asks the gateway's status API about a task it accepted.</summary>
    Task<GatewayOutcome> GetStatusAsync(string providerRequestId, CancellationToken ct);
}
