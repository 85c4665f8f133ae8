namespace SoraEvents.Simulator.State;

/// <summary>The gateways the simulator speaks for, as <see cref="SimulatedRequest.Provider"/> and the per-provider counters name them.</summary>
public static class ProviderNames
{
    /// <summary>The Pixazo Sora Video API.</summary>
    public const string Pixazo = "pixazo";

    /// <summary>The APIXO task API (Sora 2 Pro and the other models behind <c>/api/v1/generateTask/{model}</c>).</summary>
    public const string Apixo = "apixo";
}
