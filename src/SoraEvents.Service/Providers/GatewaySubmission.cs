namespace SoraEvents.Service.Providers;

/// <summary>A gateway accepted a job and gave it this id.</summary>
public sealed record GatewaySubmission(string ProviderRequestId);
