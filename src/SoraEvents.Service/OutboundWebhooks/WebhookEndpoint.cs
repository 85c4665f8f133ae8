namespace SoraEvents.Service.OutboundWebhooks;

/// <summary>One configured receiver: where to POST, the Standard Webhooks secret, and whose jobs it hears about.</summary>
public sealed record WebhookEndpoint(string Name, string Url, string Secret, IReadOnlyList<string> Callers)
{
    /// <summary>Each endpoint consumes from a queue of its own, so one slow receiver never holds back another.</summary>
    public string Queue => $"outbound-webhook-{Name.ToLowerInvariant()}";

    /// <summary>No list: every job. A list: only jobs created by those API callers (a bus job has no caller).</summary>
    public bool Accepts(string? caller) =>
        Callers.Count == 0 || (caller is not null && Callers.Contains(caller, StringComparer.Ordinal));

    // The secret stays out of logs and exception messages, even when the record is printed whole.
    public override string ToString() => $"{Name} ({Url})";
}
