using System.Reflection;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SoraEvents.Service.Messaging;

namespace SoraEvents.Service.Tests.Videos;

/// <summary>
/// Makes the HTTP path's publisher meet a broker that refuses every publish, while the rest of the service keeps
/// its bus: the POST sees the outage, the dispatcher and consumers do not.
/// </summary>
public static class UnreachableBroker
{
    /// <summary>Turns on with <see cref="Switch.Down"/>; up until then.</summary>
    public static Switch ForHttpPublishes(IServiceCollection services)
    {
        var state = new Switch();
        services.RemoveAll<BoundedPublisher>();
        services.AddSingleton(sp => new BoundedPublisher(RefusingBus.Create(sp.GetRequiredService<IBus>(), state),
            sp.GetRequiredService<BrokerFlow>(), sp.GetRequiredService<ILogger<BoundedPublisher>>()));
        return state;
    }

    public sealed class Switch
    {
        private int refused;

        public volatile bool Down;

        /// <summary>Publishes refused so far.</summary>
        public int Refused => refused;

        internal void CountRefusal() => Interlocked.Increment(ref refused);
    }

    public class RefusingBus : DispatchProxy
    {
        private IBus inner = null!;
        private Switch state = null!;

        public static IBus Create(IBus inner, Switch state)
        {
            var proxy = Create<IBus, RefusingBus>();
            var refusing = (RefusingBus)(object)proxy;
            (refusing.inner, refusing.state) = (inner, state);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (state.Down && method!.Name == nameof(IBus.Publish))
            {
                state.CountRefusal();
                return Task.FromException(new MassTransitException("The broker is unreachable (test)."));
            }
            return method!.Invoke(inner, BindingFlags.DoNotWrapExceptions, null, args, null);
        }
    }
}
