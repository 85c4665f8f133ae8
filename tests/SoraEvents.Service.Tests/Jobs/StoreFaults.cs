using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Tests.Jobs;

/// <summary>
/// Makes chosen calls of the service's real <see cref="IJobStore"/> fail, once each, as a database that drops
/// out for a moment would; every other call goes through. A proxy rather than a hand-written decorator, so the
/// store can gain methods without this helper changing.
/// </summary>
public sealed class StoreFaults
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Exception>> planned = new();
    private readonly ConcurrentDictionary<string, int> thrown = new();

    /// <summary>Wraps the store the service registers; call before the service starts.</summary>
    public static StoreFaults Install(IServiceCollection services)
    {
        var faults = new StoreFaults();
        var real = services.Last(d => d.ServiceType == typeof(IJobStore));
        services.Remove(real);
        services.AddSingleton(sp =>
        {
            var inner = (IJobStore)(real.ImplementationFactory?.Invoke(sp) ?? real.ImplementationInstance
                ?? ActivatorUtilities.CreateInstance(sp, real.ImplementationType!));
            return FaultyStore.Create(inner, faults);
        });
        return faults;
    }

    /// <summary>The next call of <paramref name="method"/> fails with <paramref name="error"/>.</summary>
    public void FailNext(string method, Exception error) => planned.GetOrAdd(method, _ => new()).Enqueue(error);

    /// <summary>How many planned failures of <paramref name="method"/> have been thrown.</summary>
    public int Thrown(string method) => thrown.GetValueOrDefault(method);

    private bool TryTake(string method, out Exception error)
    {
        error = null!;
        if (!planned.TryGetValue(method, out var queue) || !queue.TryDequeue(out var next)) return false;
        thrown.AddOrUpdate(method, 1, (_, n) => n + 1);
        error = next;
        return true;
    }

    public class FaultyStore : DispatchProxy
    {
        private IJobStore inner = null!;
        private StoreFaults faults = null!;

        public static IJobStore Create(IJobStore inner, StoreFaults faults)
        {
            var proxy = Create<IJobStore, FaultyStore>();
            var faulty = (FaultyStore)(object)proxy;
            (faulty.inner, faulty.faults) = (inner, faults);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (faults.TryTake(method!.Name, out var error)) return Faulted(method.ReturnType, error);
            return method.Invoke(inner, BindingFlags.DoNotWrapExceptions, null, args, null);
        }

        /// <summary>A failed task of the method's own type, as an async store call fails.</summary>
        private static object Faulted(Type returnType, Exception error)
        {
            if (!returnType.IsGenericType) return Task.FromException(error);
            var fromException = typeof(Task).GetMethods().Single(m => m.Name == nameof(Task.FromException) && m.IsGenericMethod);
            return fromException.MakeGenericMethod(returnType.GetGenericArguments()[0]).Invoke(null, [error])!;
        }
    }
}
