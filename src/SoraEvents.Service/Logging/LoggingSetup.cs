using System.ComponentModel.DataAnnotations;
using Serilog;
using Serilog.Formatting.Json;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Logging;

public static class LoggingSetup
{
    /// <summary>
    /// Serilog behind Microsoft.Extensions.Logging, levels from the <c>Serilog</c> section, readable lines or
    /// JSON (<c>Logging__Format=json</c>). Every event passes the <see cref="SecretRedactor"/>. The logger is
    /// built before the host, so its settings are bound and validated here rather than through DI.
    /// </summary>
    public static WebApplicationBuilder AddServiceLogging(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(LoggingOptions.Section).Get<LoggingOptions>() ?? new LoggingOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);

        var configuration = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.With(new JobContextEnricher())
            .Enrich.With(new SecretRedactor(Secrets(builder.Configuration)));
        configuration = options.Format == "json"
            ? configuration.WriteTo.Console(new JsonFormatter(renderMessage: true))
            : configuration.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
        return builder;
    }

    private static IEnumerable<string?> Secrets(IConfiguration configuration)
    {
        var providers = configuration.GetSection(ProvidersOptions.Section).Get<ProvidersOptions>() ?? new ProvidersOptions();
        var webhooks = configuration.GetSection(WebhookOptions.Section).Get<WebhookOptions>() ?? new WebhookOptions();
        var apiKeys = new[] { "Api:Keys", "Api:AdminKeys" }.SelectMany(section => configuration.GetSection(section).GetChildren()).Select(key => key.Value);
        return [providers.Pixazo.ApiKey, providers.Apixo.ApiKey, webhooks.SigningKey, .. apiKeys];
    }
}
