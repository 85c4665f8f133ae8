namespace SoraEvents.Service.Webhooks;

/// <summary>
/// A gateway's callback, authenticated and durably handed to the broker. Internal to the service: the webhook
/// answers 2xx once this is confirmed, and a consumer turns it into the job's outcome.
/// </summary>
public sealed record CallbackReceived(Guid JobId, string Provider, string Body, DateTimeOffset ReceivedAt);
