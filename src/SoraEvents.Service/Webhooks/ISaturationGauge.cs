namespace SoraEvents.Service.Webhooks;

/// <summary>Says whether this process has more work than it can run right now.</summary>
public interface ISaturationGauge
{
    bool IsSaturated { get; }
}
