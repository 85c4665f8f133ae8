namespace SoraEvents.Simulator.Tests.Support;

/// <summary>Starts a real simulator on a free loopback port with timings short enough for tests.</summary>
internal static class TestSimulator
{
    public const string Key = "test-key";

    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(200);

    /// <summary>Generous, because a loaded CI machine is slow; waits end as soon as the condition holds.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static Task<RunningSimulator> StartAsync(Action<SimulatorOptions>? configure = null) => StartAsync(clock: null, configure);

    /// <param name="clock">A clock the test moves by hand, or null for the real one.</param>
    public static Task<RunningSimulator> StartAsync(TimeProvider? clock, Action<SimulatorOptions>? configure = null)
    {
        var options = new SimulatorOptions
        {
            PixazoApiKey = Key,
            ApixoApiKey = Key,
            CallbackDelay = Delay,
            CallbackShape = CallbackShape.Status,
            ApixoCallbackShape = ApixoCallbackShape.Envelope,
            CallbackRetryBaseDelay = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        return ProviderSimulator.StartAsync(options, ProviderSimulator.DefaultInProcessUrl, clock, CancellationToken.None);
    }
}
