using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator;

/// <summary>A started in-process simulator. Dispose it to stop listening and to stop its callbacks.</summary>
public sealed class RunningSimulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private int disposed;

    internal RunningSimulator(WebApplication app, Uri baseUrl)
    {
        this.app = app;
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

    /// <summary>
    /// Serves an image at <c>/_sim/images/{name}</c> and returns its URL. Besides <c>data:</c> URIs, these are the only
    /// images the simulator reads: it fetches no URL, so an image URL can never make it reach an address.
    /// </summary>
    /// <param name="name">One path segment, e.g. <c>photo-1280x720.png</c>.</param>
    /// <param name="bytes">The image file.</param>
    /// <param name="contentType">Its media type, e.g. <c>image/png</c>.</param>
    public Uri ServeImage(string name, byte[] bytes, string contentType)
    {
        this.app.Services.GetRequiredService<Images.HostedImages>().Add(name, bytes, contentType);
        return new Uri(BaseUrl, Images.HostedImages.PathPrefix.TrimStart('/') + Uri.EscapeDataString(name));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await this.app.StopAsync();
        }
        finally
        {
            await this.app.DisposeAsync();
        }
    }
}
