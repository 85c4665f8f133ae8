using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator;

/// <summary>A started in-process simulator. Dispose it to stop listening and to stop its callbacks.</summary>
public sealed class RunningSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    internal RunningSimulator(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        State = app.Services.GetRequiredService<SimulatorState>();
        Options = app.Services.GetRequiredService<SimulatorOptions>();
    }

    /// <summary>The address actually bound, with the real port and a trailing slash, e.g. <c>http://127.0.0.1:43123/</c>. It is the gateway root.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Everything the simulator has seen.</summary>
    public SimulatorState State { get; }

    /// <summary>The options in force (a copy of those given at start).</summary>
    public SimulatorOptions Options { get; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
