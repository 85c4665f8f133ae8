using SoraEvents.Service.Archiving;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Polling;
using SoraEvents.Service.Submission;

namespace SoraEvents.Service.Scheduling;

public static class PeriodicWorkRegistration
{
    /// <summary>
    /// The loops that keep jobs moving without a message: submitting due jobs, status checks, deadlines, stranded
    /// terminal events and archive retries. Registered together, after the bus, rather than by each feature: hosted
    /// services start in registration order, and each loop's first sweep must meet a started bus.
    /// </summary>
    public static IServiceCollection AddPeriodicWork(this IServiceCollection services) => services
        .AddHostedService<QueuedJobDispatcher>()
        .AddHostedService<StatusPoller>()
        .AddHostedService<DeadlineWatcher>()
        .AddHostedService<TerminalEventRepublisher>()
        .AddHostedService<ArchiveRetrier>();
}
