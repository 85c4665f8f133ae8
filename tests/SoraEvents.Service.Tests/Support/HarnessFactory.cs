using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SoraEvents.Service.Providers;

namespace SoraEvents.Service.Tests.Support;

/// <summary>The service in-process on MassTransit's in-memory test harness, with a <see cref="FakeGateway"/>.</summary>
public sealed class HarnessFactory : ServiceFactory
{
    public FakeGateway Gateway { get; } = new();

    /// <summary>A second gateway, registered only when asked for, so failover has somewhere to go.</summary>
    public FakeGateway Apixo { get; } = new(Contracts.VideoProviders.Apixo);

    public HarnessFactory(bool withApixo = false)
    {
        // A key is configured, so the built-in simulator stays off: the fake answers instead.
        Settings["Providers:Pixazo:ApiKey"] = "test-key";
        // The in-memory test server listens on no address, so callback URLs need an explicit base.
        Settings["Webhooks:PublicBaseUrl"] = "http://soraevents.test";
        TestServices = services =>
        {
            services.AddMassTransitTestHarness();
            // The first message of a cold process waits on JIT and SQLite start-up; the default second of
            // "inactivity" would end a wait before the consumer has even finished, and at a load average of 20 so did 3 s.
            services.Configure<TestHarnessOptions>(o =>
            {
                o.TestInactivityTimeout = TimeSpan.FromSeconds(6);
                o.TestTimeout = TimeSpan.FromSeconds(30);
            });
            services.RemoveAll<IVideoGateway>();
            services.AddSingleton<IVideoGateway>(Gateway);
            if (withApixo) services.AddSingleton<IVideoGateway>(Apixo);
        };
    }

    public ITestHarness Harness => Services.GetTestHarness();

    /// <summary>
    /// What was published so far, without waiting. The harness's own <c>Select</c> goes on waiting for more until
    /// the bus falls idle, which a service waiting on a fake clock never does before the test moves the clock.
    /// </summary>
    public IReadOnlyList<IPublishedMessage<T>> PublishedSoFar<T>() where T : class =>
        Harness.Published.Select<T>(new CancellationToken(canceled: true)).ToList();

    /// <summary>Whether a <typeparamref name="T"/> matching <paramref name="match"/> was published so far, without waiting.</summary>
    public bool HasPublished<T>(Func<T, bool> match) where T : class => PublishedSoFar<T>().Any(m => match(m.Context.Message));

    /// <summary>
    /// Waits, with the suite's patience, for a <typeparamref name="T"/> matching <paramref name="match"/>. Unlike the
    /// harness's <c>Any</c>, a loaded machine pausing the consumer longer than the inactivity timeout cannot end it early.
    /// </summary>
    public async Task<T> PublishedAsync<T>(Func<T, bool> match) where T : class
    {
        await Eventually.TrueAsync(() => Task.FromResult(HasPublished(match)), ServiceClock.Patience, $"a matching {typeof(T).Name}");
        return PublishedSoFar<T>().Select(m => m.Context.Message).First(match);
    }
}
