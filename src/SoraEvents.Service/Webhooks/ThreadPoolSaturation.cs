namespace SoraEvents.Service.Webhooks;

/// <summary>
/// Saturated while the thread pool holds more queued work items than the machine has cores: every request,
/// consumer and broker callback of the process runs there, so a queue longer than the cores can take is work
/// already waiting for a CPU, whatever the cause (a burst of callbacks, a slow machine, a noisy neighbour).
/// </summary>
public sealed class ThreadPoolSaturation : ISaturationGauge
{
    public bool IsSaturated => ThreadPool.PendingWorkItemCount >= Environment.ProcessorCount;
}
