using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SoraEvents.Service.Scheduling;

namespace SoraEvents.Testing;

/// <summary>
/// The real service in-process, with its own temporary data folder and settings. Tests add configuration
/// with <see cref="Settings"/> and replace services with <see cref="TestServices"/> before the first use.
/// </summary>
public class ServiceFactory : WebApplicationFactory<Program>
{
    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), "soraevents-tests", Guid.NewGuid().ToString("N"));

    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Webhooks:SigningKey"] = "test-signing-key-0123456789abcdef0123456789",
        ["Submission:RetryIntervals"] = "0.05,0.1",
        ["Jobs:SweepIntervalSeconds"] = "0.1",
        ["Submission:SlotWaitSeconds"] = "0.1",
        ["Simulator:CallbackDelay"] = "00:00:00.300",
    };

    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>
    /// Set before the first use to give the service a clock that only moves when the test moves it: deadlines,
    /// sweeps, poll schedules and retry waits then happen at the test's command, never on a loaded machine's whim.
    /// Start it at the real time (<see cref="ServiceClock.StartingNow"/>) so rows written with the wall clock compare sensibly.
    /// </summary>
    public FakeTimeProvider? Clock { get; set; }

    /// <summary>What the service logged, so a failing test can show what happened to its job.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>
    /// Runs one sweep of <typeparamref name="TWork"/> now and waits for it: the positive signal a test needs before
    /// it asserts that the sweep did nothing (instances sweep side by side anyway, so this one may overlap the timer's).
    /// </summary>
    public Task SweepAsync<TWork>() where TWork : PeriodicWork =>
        Services.GetServices<IHostedService>().OfType<TWork>().Single().RunOnceAsync(CancellationToken.None);

    /// <summary>
    /// Scopes validated as in Development, whatever the environment: a singleton holding a scoped service (or a
    /// registration that cannot be built) fails the test host's start instead of waiting for a Development run.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = true;
        });
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Store:ConnectionString", $"Data Source={Path.Combine(DataFolder, "jobs.db")}");
        builder.UseSetting("Webhooks:SigningKeyFile", Path.Combine(DataFolder, "signing.key"));
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            if (Clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Clock);
            }
            services.AddSingleton<ILoggerProvider>(Logs);
            // Our own story in full; the framework's (HTTP, hosting, MassTransit) only when it went wrong.
            services.AddLogging(logging => logging
                .AddFilter<CapturedLogs>(null, LogLevel.Warning)
                .AddFilter<CapturedLogs>("SoraEvents", LogLevel.Debug));
            TestServices?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } // SQLite may still hold the file briefly
        GC.SuppressFinalize(this);
    }
}
