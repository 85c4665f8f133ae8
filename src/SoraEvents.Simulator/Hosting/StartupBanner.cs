using Microsoft.AspNetCore.Hosting.Server;

namespace SoraEvents.Simulator.Hosting;

/// <summary>Tells whoever started the simulator by hand how it is set up (never the key itself).</summary>
internal static partial class StartupBanner
{
    public static void Register(WebApplication app, SimulatorOptions settings)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProviderSimulator).FullName!);
            LogReady(
                logger,
                GatewayAddress.BoundAddress(app.Services.GetRequiredService<IServer>()) ?? "(unknown)",
                string.IsNullOrEmpty(settings.PixazoApiKey) ? "any non-empty key" : "the configured key",
                settings.CallbackDelay,
                settings.CallbackShape,
                settings.CallbackAttempts);
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pixazo simulator ready at {Address}; accepts {KeyRule}; jobs finish after {Delay}; callbacks in {Shape} shape, {Attempts} attempts")]
    private static partial void LogReady(ILogger logger, string address, string keyRule, TimeSpan delay, CallbackShape shape, int attempts);
}
