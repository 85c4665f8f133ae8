namespace SoraEvents.Simulator;

/// <summary>
/// The standalone server's entry point. Not a top-level program, because a web project that
/// references this one has a <c>Program</c> class of its own.
/// </summary>
public static class SimulatorProgram
{
    /// <summary>Runs the simulator until stopped (Ctrl+C).</summary>
    /// <param name="args">Command-line configuration, e.g. <c>--urls http://127.0.0.1:5090 --Simulator:CallbackDelay 00:00:05</c>.</param>
    public static async Task Main(string[] args)
    {
        var app = ProviderSimulator.Build(options: null, args);
        await using (app)
        {
            await app.RunAsync();
        }
    }
}
