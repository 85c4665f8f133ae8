using SoraEvents.Contracts;

namespace SoraEvents.Service.Providers;

/// <summary>One third-party video gateway: what it can make, its limits, submitting, callbacks and status.</summary>
public interface IVideoGateway
{
    /// <summary>The provider name used on the bus and in callback URLs (<see cref="VideoProviders"/>).</summary>
    string Name { get; }

    GatewayLimits Limits { get; }

    /// <summary>When to ask the status API about a submitted task whose callback has not come.</summary>
    PollSchedule Polling { get; }

    /// <summary>Why this gateway cannot serve <paramref name="request"/>; empty when it can. Each reason names the gateway.</summary>
    IReadOnlyList<string> Refusals(GenerateVideo request, RequestImage? image);

    /// <summary>
    /// Creates the gateway task. Throws <see cref="GatewayRejectedException"/> for a permanent refusal and
    /// <see cref="GatewayUnavailableException"/> when the gateway certainly did not create a task and a retry may work.
    /// </summary>
    Task<GatewaySubmission> SubmitAsync(GenerateVideo request, Uri callbackUrl, CancellationToken ct);

    /// <summary>Reads a callback body. Never throws for content: what it cannot read is <see cref="GatewayOutcome.Unreadable"/>.</summary>
    GatewayOutcome ReadCallback(string body);

    /// <summary>
    /// Asks the gateway's status API about a task it accepted for <paramref name="request"/>: a gateway that files
    /// tasks by model finds the task only under the model the job asked for.
    /// </summary>
    Task<GatewayOutcome> GetStatusAsync(GenerateVideo request, string providerRequestId, CancellationToken ct);
}
