using MassTransit;

namespace SoraEvents.Service.Messaging;

/// <summary>
/// A <c>GenerateVideo</c> that could not be read but names its job: what <see cref="CommandDeserializer"/> hands on
/// instead of the command, so the job can be answered with <c>VideoFailed</c> rather than the message dead-lettered.
/// Internal to the service; it never crosses an exchange.
/// </summary>
[ExcludeFromTopology]
public sealed record UnreadableCommand(Guid JobId, IReadOnlyList<string> Problems, IReadOnlyDictionary<string, string>? Metadata);
