namespace SoraEvents.Service.Jobs;

/// <summary>
/// One of a gateway's per-minute request slots, taken for one call and held until <see cref="HeldUntil"/> unless the
/// call's end sets an earlier time (<see cref="IJobStore.EndGatewayCallAsync"/>).
/// </summary>
public sealed record GatewayCallSlot(string Provider, int Slot, DateTimeOffset HeldUntil);
