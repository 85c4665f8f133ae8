using Microsoft.Extensions.Options;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Scheduling;

namespace SoraEvents.Service.OutboundWebhooks;

/// <summary>
/// Runs the deliveries whose next attempt is due (and those whose attempt was cut short by a crash, once their lease
/// ran out). Each endpoint has a loop of its own and its due deliveries are tried side by side, so a receiver that
/// hangs until the timeout delays no other endpoint's retries.
/// </summary>
public sealed class OutboundWebhookRetrier(
    IServiceProvider services,
    IWebhookDeliveryStore deliveries,
    IOptions<OutboundWebhooksOptions> webhooks,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<OutboundWebhookRetrier> logger) : PeriodicWork(options, time, logger)
{
    private const int Parallelism = 16;

    public override Task RunOnceAsync(CancellationToken ct) =>
        Task.WhenAll(webhooks.Value.Endpoints.Select(endpoint => SweepAsync(endpoint, ct)));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(webhooks.Value.Endpoints.Select(endpoint => LoopAsync(endpoint, stoppingToken)));

    private async Task LoopAsync(WebhookEndpoint endpoint, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Options.SweepInterval, Time);
        var failures = new SweepFailureLog(logger, Time, $"Retrying webhooks to {endpoint.Name}");
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(endpoint, stoppingToken);
                failures.Succeeded();
            }
            catch (ObjectDisposedException)
            {
                return; // as in PeriodicWork: the host is gone
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failures.Failed(ex);
            }
        }
    }

    private async Task SweepAsync(WebhookEndpoint endpoint, CancellationToken ct)
    {
        var deliverer = services.GetRequiredService<OutboundWebhookDeliverer>();
        var now = Time.GetUtcNow();
        var due = await deliveries.ClaimDueDeliveriesAsync(endpoint.Name, now, now + deliverer.Lease, Batch, ct);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (delivery, token) => await deliverer.AttemptAsync(endpoint, delivery, token));
    }
}
