namespace SoraEvents.Service.Providers;

/// <summary>What a gateway allows us; kept across all service instances through the job store.</summary>
public sealed record GatewayLimits(int? RequestsPerMinute, int? ConcurrentTasks);
