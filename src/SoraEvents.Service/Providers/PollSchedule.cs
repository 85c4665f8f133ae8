namespace SoraEvents.Service.Providers;

/// <summary>When to check a submitted task's status: first after <see cref="First"/>, then every <see cref="Every"/>.</summary>
public sealed record PollSchedule(TimeSpan First, TimeSpan Every);
