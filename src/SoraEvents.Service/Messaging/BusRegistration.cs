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

        // The transport shapes the registration itself, so it is read here, before any options can be resolved.
        var bus = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        var rabbit = configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();

        services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
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

        // Queues and bindings must exist before the first publish, or the broker drops the message: the host
        // only starts serving HTTP once the bus is up.
        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return services;
    }
}
