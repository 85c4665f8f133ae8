using Microsoft.Extensions.Options;
using SoraEvents.Service.Messaging;

namespace SoraEvents.Service.Webhooks;

public static class WebhooksRegistration
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.SigningKey) || o.SigningKey.Length >= 32,
                $"Webhooks:SigningKey must be at least 32 characters (or empty); {WebhookSigningKey.HowToMakeOne}.")
            .Validate(o => !WebhookSigningKey.IsPlaceholder(o.SigningKey),
                $"Webhooks:SigningKey is the placeholder from .env.example, which anyone can read; {WebhookSigningKey.HowToMakeOne}.")
            .ValidateOnStart();
        services.AddSingleton(sp => new CallbackTokens(WebhookSigningKey.Load(
            sp.GetRequiredService<IOptions<WebhookOptions>>(),
            sp.GetRequiredService<IHostEnvironment>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookSigningKey)))));
        services.AddSingleton<CallbackUrls>();
        services.AddSingleton<ISaturationGauge, ThreadPoolSaturation>();
        services.AddSingleton<IngestionPressure>();
        services.AddSingleton<RefusedCallbackLog>();
        services.AddSingleton<ICallbackInbox>(sp => sp.GetRequiredService<IOptions<BusOptions>>().Value.UsesRabbitMq
            ? ActivatorUtilities.CreateInstance<RabbitMqCallbackInbox>(sp)
            : ActivatorUtilities.CreateInstance<BusCallbackInbox>(sp));
        return services;
    }
}
