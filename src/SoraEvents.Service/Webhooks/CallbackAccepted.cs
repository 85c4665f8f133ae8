namespace SoraEvents.Service.Webhooks;

/// <summary>What a gateway is told once its callback is safely stored.</summary>
public sealed record CallbackAccepted(Guid JobId)
{
    public bool Received => true;
}
