using MassTransit;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Telemetry;

namespace SoraEvents.Service.Webhooks;

/// <summary>Turns a stored callback into the job's outcome. Unreadable bodies lead to a status query, not a failure.</summary>
public sealed class CallbackReceivedConsumer(
    IJobStore store,
    GatewayRouter gateways,
    OutcomeApplier outcomes,
    ServiceTelemetry telemetry,
    IngestionPressure pressure,
    TimeProvider time,
    ILogger<CallbackReceivedConsumer> logger)
    : IConsumer<CallbackReceived>
{
    public async Task Consume(ConsumeContext<CallbackReceived> context)
    {
        var callback = context.Message;
        // Safe in the broker: under an overload, answering the gateways still waiting comes first.
        await pressure.YieldWhileOverloadedAsync(callback.ReceivedAt, context.CancellationToken);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = callback.JobId, ["Provider"] = callback.Provider });

        var gateway = gateways.Find(callback.Provider);
        var job = await store.FindAsync(callback.JobId, context.CancellationToken);
        if (gateway is null || job is null)
        {
            logger.LogWarning("Callback for unknown job {JobId} or provider {Provider} dropped", callback.JobId, callback.Provider);
            return;
        }

        using var activity = ServiceTelemetry.Activities.StartActivity("callback");
        activity?.SetTag("soraevents.job_id", callback.JobId).SetTag("soraevents.provider", gateway.Name);
        var outcome = gateway.ReadCallback(callback.Body);
        if (await outcomes.ApplyAsync(job, gateway, outcome, context, context.CancellationToken))
            telemetry.CallbackEndedJob(gateway.Name, time.GetUtcNow() - callback.ReceivedAt);
    }
}
