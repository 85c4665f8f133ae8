using Microsoft.Extensions.Options;
using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Scheduling;

/// <summary>
/// Work that runs every sweep interval on every instance: due times live in the job store and every claim is
/// atomic, so instances share the work without coordinating and a restart loses no schedule. A failing sweep is
/// logged (<see cref="SweepFailureLog"/>) and the next one tries again.
/// </summary>
public abstract class PeriodicWork(IOptions<JobsOptions> options, TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time => time;

    protected int Batch => options.Value.SweepBatch;

    protected JobsOptions Options => options.Value;

    private long loopSweeps;

    /// <summary>
    /// Sweeps the loop has finished, failed ones included. The loop runs one sweep at a time, so once this has grown
    /// by two, every sweep that was running when it was first read has ended: how a test knows nothing is in flight.
    /// </summary>
    public long LoopSweeps => Interlocked.Read(ref loopSweeps);

    /// <summary>
    /// Starts the loop once. A second start (MassTransit's test harness starts every hosted service again) would
    /// replace the token the first loop watches, and no stop would end that loop: it would sweep a disposed host's
    /// store for the rest of the process.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken) =>
        ExecuteTask is null ? base.StartAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>One sweep. Public so tests can run a sweep without waiting for the timer.</summary>
    public abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        var failures = new SweepFailureLog(logger, time, GetType().Name);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                failures.Succeeded();
            }
            catch (ObjectDisposedException)
            {
                // The services this loop works with are gone (a host disposed without being stopped, as after a
                // start that failed half-way): nothing is left to sweep for.
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failures.Failed(ex);
            }
            Interlocked.Increment(ref loopSweeps);
        }
    }
}
