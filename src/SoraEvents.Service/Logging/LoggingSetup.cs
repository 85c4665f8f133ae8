using OpenTelemetry;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Hosting;
using Serilog.Formatting.Compact;
using Serilog.Sinks.OpenTelemetry;
using SoraEvents.Service.Configuration;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Telemetry;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Logging;

public static class LoggingSetup
{
    /// <summary>
    /// ASP.NET Core's own lines for each request; the request log (<see cref="UseServiceRequestLogging"/>) says it in
    /// one line instead. A setting naming one of these categories exactly still wins.
    /// </summary>
    private static readonly string[] PerRequestCategories =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.AspNetCore.Routing.EndpointMiddleware",
        "Microsoft.AspNetCore.Http.HttpResults",
    ];

    /// <summary>
    /// Serilog behind Microsoft.Extensions.Logging, levels from the <c>Serilog</c> section, readable lines or
    /// compact JSON (<c>Logging__Format=json</c>), and OTLP next to them when an endpoint is configured. Every event
    /// passes the <see cref="SecretRedactor"/>, and every sink sits under <see cref="Guard"/>. The logger is built
    /// before the host, so its settings are read here; an invalid format is refused at start like any other
    /// setting (<see cref="InvalidSettings"/>), with readable lines until then.
    /// </summary>
    public static WebApplicationBuilder AddServiceLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LoggingOptions>().BindConfiguration(LoggingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(LoggingOptions.Section).Get<LoggingOptions>() ?? new LoggingOptions();
        var telemetry = TelemetryOptions.ReadEarly(builder.Configuration);

        var redactor = new SecretRedactor(Secrets(builder.Configuration));
        var configuration = new LoggerConfiguration();
        foreach (var category in PerRequestCategories) configuration.MinimumLevel.Override(category, LogEventLevel.Warning);
        configuration
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.With(new JobContextEnricher())
            .Enrich.With(redactor)
            // A bad setting ends the start with one line of its own (InvalidSettings); the host's stack trace says no more.
            .Filter.ByExcluding(e => e.Exception is not null && InvalidSettings.Explain(e.Exception).Count > 0);
        var guarded = Serilog.Configuration.LoggerSinkConfiguration.Wrap(sinks => Guard(sinks, redactor), to =>
        {
            if (options.Format == "json") to.Console(new RenderedCompactJsonFormatter());
            else to.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            if (telemetry.Enabled) to.OpenTelemetry(otlp => ExportOverOtlp(otlp, telemetry), ignoreEnvironment: true);
        });
        var logger = configuration.WriteTo.Sink(guarded).CreateLogger();

        // Microsoft's logger factory stays, with Serilog as its provider, so that other providers keep their own
        // filters (the tests' log capture); Serilog.Extensions.Hosting's AddSerilog would replace the factory.
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        // What AddSerilog registers besides the factory: the request log's diagnostic context and the logger it writes to.
        builder.Services.AddSingleton(logger);
        builder.Services.AddSingleton(new DiagnosticContext(logger));
        builder.Services.AddSingleton<IDiagnosticContext>(services => services.GetRequiredService<DiagnosticContext>());
        return builder;
    }

    /// <summary>
    /// One line per request, after its answer: method, path with its query (the redactor masks callback tokens),
    /// status and time. Health probes are logged at Verbose, so they stay out of the log at any usual level.
    /// </summary>
    public static WebApplication UseServiceRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(o =>
        {
            // This host's logger rather than the static one, which several hosts in one process (the tests) would share.
            o.Logger = app.Services.GetRequiredService<Logger>();
            o.IncludeQueryInRequestPath = true;
            o.GetLevel = (context, _, exception) =>
                context.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Verbose
                : exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                // Anyone can send requests that get refused, as fast as they like: a line each would be theirs to
                // flood. Refusals are told in their own lines, a few per minute (RefusedApiKeyLog, RefusedCallbackLog).
                : context.Response.StatusCode >= 400 && context.User.Identity?.IsAuthenticated != true ? LogEventLevel.Debug
                : LogEventLevel.Information;
        });
        return app;
    }

    /// <summary>
    /// What stands between every event and every sink: exception text redacted, and the broker outage told in
    /// one line per reconnect attempt.
    /// </summary>
    public static ILogEventSink Guard(ILogEventSink sinks, SecretRedactor redactor) =>
        new RedactedExceptionSink(redactor, new BrokerOutageLines(sinks));

    private static void ExportOverOtlp(BatchedOpenTelemetrySinkOptions otlp, TelemetryOptions telemetry)
    {
        otlp.Protocol = telemetry.IsGrpc ? OtlpProtocol.Grpc : OtlpProtocol.HttpProtobuf;
        otlp.LogsEndpoint = telemetry.SignalEndpoint("v1/logs").AbsoluteUri;
        otlp.ResourceAttributes = new Dictionary<string, object> { ["service.name"] = telemetry.ServiceName };
        // Sending a batch is an HTTP request of its own; traced, it would be exported and logged again in turn.
        otlp.OnBeginSuppressInstrumentation = SuppressInstrumentationScope.Begin;
    }

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
