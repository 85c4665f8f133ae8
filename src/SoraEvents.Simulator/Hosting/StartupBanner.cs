using Microsoft.AspNetCore.Hosting.Server;

namespace SoraEvents.Simulator.Hosting;

/// <summary>Tells whoever started the simulator by hand how it is set up (never the key itself).</summary>
internal static class StartupBanner
{
    public static void Register(WebApplication app, SimulatorOptions settings)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProviderSimulator).FullName!);
            logger.LogInformation(
                "Pixazo and APIXO simulator ready at {Address}; Pixazo accepts {PixazoKeyRule}, APIXO accepts {ApixoKeyRule} " +
                "({RequestsPerMinute} requests/min, {ConcurrentTasks} concurrent tasks); jobs finish after {Delay}; " +
                "callbacks in {Shape} (Pixazo) and {ApixoShape} (APIXO) shape, {Attempts} attempts",
                GatewayAddress.BoundAddress(app.Services.GetRequiredService<IServer>()) ?? "(unknown)",
                KeyRule(settings.PixazoApiKey), KeyRule(settings.ApixoApiKey), settings.ApixoRequestsPerMinute,
                settings.ApixoConcurrentTasks, settings.CallbackDelay, settings.CallbackShape, settings.ApixoCallbackShape,
                settings.CallbackAttempts);
            if (settings.CallbackDropRate > 0 || settings.CallbackDuplicateRate > 0 || settings.CallbackReorder)
            {
                logger.LogInformation(
                    "Callback faults on: {DropRate:P0} of callbacks dropped, {DuplicateRate:P0} sent three times at once, the rest {Order}; seed {Seed}",
                    settings.CallbackDropRate, settings.CallbackDuplicateRate,
                    settings.CallbackReorder ? $"reordered by up to {settings.CallbackReorderJitter}, followed by a stale progress update" : "in order",
                    settings.Seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "random");
            }
        });
    }

    private static string KeyRule(string? key) => string.IsNullOrEmpty(key) ? "any non-empty key" : "the configured key";
}
