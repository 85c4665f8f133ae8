using System.Threading.Channels;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Callbacks;

/// <summary>Hands accepted requests that want a callback from the HTTP endpoint to the dispatcher.</summary>
internal sealed class CallbackQueue
{
    private readonly Channel<SimulatedRequest> channel = Channel.CreateUnbounded<SimulatedRequest>(
        new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<SimulatedRequest> Reader => channel.Reader;

    public void Enqueue(SimulatedRequest request)
    {
        // Unbounded, and the writer is never completed, so this cannot fail.
        channel.Writer.TryWrite(request);
    }
}
