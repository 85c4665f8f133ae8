namespace SoraEvents.Simulator.Tests.Support;

/// <summary>Starts a real simulator on a free loopback port with timings short enough for tests.</summary>
internal static class TestSimulator
{
    public const string Key = "test-key";

    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(200);

    /// <summary>Generous, because a loaded CI machine is slow; waits end as soon as the condition holds.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static Task<RunningSimulator> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var options = new SimulatorOptions
        {
            PixazoApiKey = Key,
            CallbackDelay = Delay,
            CallbackShape = CallbackShape.Status,
            CallbackRetryBaseDelay = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        return ProviderSimulator.StartAsync(options);
    }
}
