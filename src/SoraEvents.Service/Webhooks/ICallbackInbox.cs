namespace SoraEvents.Service.Webhooks;

/// <summary>
/// Where an authenticated callback goes before the gateway is answered: true means the broker has it (confirmed),
/// false means it does not, and the gateway must be told to try again.
/// </summary>
public interface ICallbackInbox
{
    Task<bool> TryAcceptAsync(CallbackReceived callback, CancellationToken ct);
}
