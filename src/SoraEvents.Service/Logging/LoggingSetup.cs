using Serilog;

namespace SoraEvents.Service.Logging;

public static class LoggingSetup
{
    /// <summary>
    /// Serilog behind Microsoft.Extensions.Logging, levels from the <c>Serilog</c> section. Request logging by
    /// ASP.NET and HttpClient stays at Warning in appsettings.json: their lines carry callback URLs, whose
    /// query string is a secret token.
    /// </summary>
    public static WebApplicationBuilder AddServiceLogging(this WebApplicationBuilder builder)
    {
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        return builder;
    }
}
