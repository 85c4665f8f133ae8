using Serilog;
using Serilog.Core;
using Serilog.Formatting.Json;
using SoraEvents.Service.Configuration;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Logging;

public static class LoggingSetup
{
    /// <summary>
    /// Serilog behind Microsoft.Extensions.Logging, levels from the <c>Serilog</c> section, readable lines or
    /// JSON (<c>Logging__Format=json</c>). Every event passes the <see cref="SecretRedactor"/>. The logger is
    /// built before the host, so its settings are read here; an invalid format is refused at start like any other
    /// setting (<see cref="InvalidSettings"/>), with readable lines until then.
    /// </summary>
    public static WebApplicationBuilder AddServiceLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LoggingOptions>().BindConfiguration(LoggingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(LoggingOptions.Section).Get<LoggingOptions>() ?? new LoggingOptions();

        var redactor = new SecretRedactor(Secrets(builder.Configuration));
        var configuration = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.With(new JobContextEnricher())
            .Enrich.With(redactor)
            // A bad setting ends the start with one line of its own (InvalidSettings); the host's stack trace says no more.
            .Filter.ByExcluding(e => e.Exception is not null && InvalidSettings.Explain(e.Exception).Count > 0);
        configuration = Serilog.Configuration.LoggerSinkConfiguration.Wrap(configuration.WriteTo, console => Guard(console, redactor), to =>
        {
            if (options.Format == "json") to.Console(new JsonFormatter(renderMessage: true));
            else to.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        });

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
        return builder;
    }

    /// <summary>
    /// What stands between every event and the console: exception text redacted, and the broker outage told in
    /// one line per reconnect attempt.
    /// </summary>
    public static ILogEventSink Guard(ILogEventSink console, SecretRedactor redactor) =>
        new RedactedExceptionSink(redactor, new BrokerOutageLines(console));

    /// <remarks>Read as plain strings: binding whole sections here would throw on any unreadable number in them
    /// before the host could name the bad setting.</remarks>
    private static IEnumerable<string?> Secrets(IConfiguration configuration) =>
    [
        configuration[$"{ProvidersOptions.Section}:Pixazo:ApiKey"],
        configuration[$"{ProvidersOptions.Section}:Apixo:ApiKey"],
        configuration[$"{WebhookOptions.Section}:SigningKey"],
        .. new[] { "Api:Keys", "Api:AdminKeys" }.SelectMany(section => configuration.GetSection(section).GetChildren()).Select(key => key.Value),
        .. configuration.GetSection("OutboundWebhooks").GetChildren().Select(endpoint => endpoint["Secret"]),
    ];
}
