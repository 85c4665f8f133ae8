using MassTransit;
using Microsoft.Extensions.Options;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Messaging;
using SoraEvents.Service.OutboundHttp;

namespace SoraEvents.Service.OutboundWebhooks;

public static class OutboundWebhooksRegistration
{
    /// <summary>Registered after the bus, like the other periodic work, so the first retry sweep meets a started bus.</summary>
    public static IServiceCollection AddOutboundWebhooks(this IServiceCollection services)
    {
        services.AddOptions<OutboundWebhooksOptions>()
            .BindConfiguration(OutboundWebhooksOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
                options.Endpoints = OutboundWebhooksOptions.ReadEndpoints(configuration.GetSection(OutboundWebhooksOptions.Section)))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboundWebhooksOptions>, OutboundWebhooksOptionsValidator>();
        services.AddSingleton<IWebhookDeliveryStore>(sp => sp.GetRequiredService<SqlJobStore>());
        // Receivers' URLs are not ours: the guarded client, http allowed (the endpoint's owner chose it), no redirect followed.
        services.AddOutboundHttpClient<WebhookSender>(sp => new OutboundPolicy
        {
            Section = OutboundWebhooksOptions.Section,
            AllowPlainHttp = true,
            AllowPrivateNetworks = sp.GetRequiredService<IOptions<OutboundWebhooksOptions>>().Value.AllowPrivateNetworks,
            MaxRedirects = 0,
        }).ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan); // bounded per attempt by WebhookSender, on the service's clock
        services.AddSingleton<WebhookDeadLetters>();
        services.AddTransient<OutboundWebhookDeliverer>();
        services.AddHostedService<OutboundWebhookRetrier>();
        return services;
    }

    /// <summary>One receive endpoint (queue) per configured webhook endpoint, each with its own consumer.</summary>
    public static void ConfigureOutboundWebhookEndpoints(this IBusFactoryConfigurator bus, IBusRegistrationContext context)
    {
        var quorum = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QuorumQueues;
        foreach (var endpoint in context.GetRequiredService<IOptions<OutboundWebhooksOptions>>().Value.Endpoints)
            bus.ReceiveEndpoint(endpoint.Queue, e =>
            {
                if (quorum && e is IRabbitMqReceiveEndpointConfigurator queue) queue.SetQuorumQueue();
                // Only the store can fail here (receivers' failures are retried from the store): brief retries, then _error.
                e.UseMessageRetry(r => r.Intervals(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)));
                e.Consumer(() => new OutboundWebhookConsumer(endpoint, context.GetRequiredService<OutboundWebhookDeliverer>()));
            });
    }
}
