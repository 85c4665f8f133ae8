using MassTransit;
using SoraEvents.Service.OutboundWebhooks;
using SoraEvents.Service.Submission;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Messaging;

public static class BusRegistration
{
    public static IServiceCollection AddBus(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BusOptions>().BindConfiguration(BusOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BoundedPublisher>();
        services.AddSingleton<BrokerFlow>();

        // The transport shapes the registration itself, so it is read here, before any options can be resolved:
        // as plain strings, so an unreadable value is left to the options' validation at start, which names it.
        var bus = new BusOptions
        {
            Transport = configuration[$"{BusOptions.Section}:Transport"] ?? new BusOptions().Transport,
            UsageTelemetry = bool.TryParse(configuration[$"{BusOptions.Section}:UsageTelemetry"], out var usage) && usage,
        };
        var rabbit = new RabbitMqOptions
        {
            Url = configuration[$"{RabbitMqOptions.Section}:Url"] ?? new RabbitMqOptions().Url,
            QuorumQueues = bool.TryParse(configuration[$"{RabbitMqOptions.Section}:QuorumQueues"], out var quorum) && quorum,
        };

        services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            // Nothing leaves for a third party unasked: MassTransit's usage report only when Bus:UsageTelemetry says so.
            x.ConfigureUsageTelemetryOptions(o => o.Enabled = bus.UsageTelemetry);
            x.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "bus";
                health.Tags.Add(Health.HealthEndpoints.ReadyTag);
                health.MinimalFailureStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy;
            });
            x.AddConsumer<GenerateVideoConsumer, GenerateVideoConsumerDefinition>();
            x.AddConsumer<UnreadableCommandConsumer, UnreadableCommandConsumerDefinition>();
            x.AddConsumer<CallbackReceivedConsumer, CallbackReceivedConsumerDefinition>();

            if (bus.UsesRabbitMq && rabbit.QuorumQueues)
                x.AddConfigureEndpointsCallback((_, _, endpoint) =>
                {
                    if (endpoint is IRabbitMqReceiveEndpointConfigurator queue) queue.SetQuorumQueue();
                });

            if (bus.UsesRabbitMq)
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(rabbit.Url));
                    cfg.ConfigureEndpoints(context);
                    cfg.ConfigureOutboundWebhookEndpoints(context);
                });
            else
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.ConfigureEndpoints(context);
                    cfg.ConfigureOutboundWebhookEndpoints(context);
                });
        });

        // HTTP is served at once, broker or not: /health/live answers, /health/ready says 503 until the bus is
        // connected, and a job accepted meanwhile is stored and submitted by the orphan dispatcher if its command
        // never reaches a queue (Submission:OrphanGraceSeconds). MassTransit reconnects by itself.
        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return services;
    }
}
