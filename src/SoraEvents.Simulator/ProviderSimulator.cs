using Microsoft.AspNetCore.Hosting.Server;
using SoraEvents.Simulator.Apixo;
using SoraEvents.Simulator.Callbacks;
using SoraEvents.Simulator.Diagnostics;
using SoraEvents.Simulator.Hosting;
using SoraEvents.Simulator.Images;
using SoraEvents.Simulator.Media;
using SoraEvents.Simulator.Pixazo;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator;

/// <summary>
/// Builds and starts the simulated gateways, Pixazo and APIXO side by side on one port. The standalone
/// server and the in-process one are the same application; only where their settings come from differs.
/// </summary>
public static class ProviderSimulator
{
    /// <summary>Where the standalone server listens unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const string DefaultStandaloneUrl = "http://127.0.0.1:5090";

    /// <summary>Where an in-process simulator listens by default: loopback, on a free port.</summary>
    public const string DefaultInProcessUrl = "http://127.0.0.1:0";

    private static readonly string[] QuietCategories = ["System.Net.Http.HttpClient", "Microsoft.AspNetCore"];

    /// <summary>Builds, starts and returns an in-process simulator listening on a real loopback socket.</summary>
    /// <param name="options">How the simulator behaves; copied, so later changes have no effect.</param>
    /// <param name="url">Where to listen; port 0 picks a free port, reported by <see cref="RunningSimulator.BaseUrl"/>.</param>
    /// <param name="ct">Cancels the start.</param>
    public static Task<RunningSimulator> StartAsync(SimulatorOptions options, string url = DefaultInProcessUrl, CancellationToken ct = default) =>
        StartAsync(options, url, clock: null, ct);

    /// <summary>
    /// As the overload above, on a clock a test can move by hand (a <c>FakeTimeProvider</c>, say): the request limits,
    /// task progress and callback timing all read it, so a test can cross APIXO's minute without waiting one.
    /// </summary>
    /// <param name="options">How the simulator behaves; copied, so later changes have no effect.</param>
    /// <param name="url">Where to listen; port 0 picks a free port.</param>
    /// <param name="clock">The simulator's clock; null for the system clock.</param>
    /// <param name="ct">Cancels the start.</param>
    public static async Task<RunningSimulator> StartAsync(SimulatorOptions options, string url, TimeProvider? clock, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var app = Build(options, [], url, clock);
        try
        {
            await app.StartAsync(ct);
            var bound = GatewayAddress.BoundAddress(app.Services.GetRequiredService<IServer>())
                ?? throw new InvalidOperationException("The simulator started but reports no address.");
            return new RunningSimulator(app, new Uri(bound.TrimEnd('/') + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Builds the simulator application without starting it.</summary>
    /// <param name="options">
    /// Null for the standalone server: options are bound from the "Simulator" configuration section
    /// (environment variables such as <c>Simulator__PixazoApiKey</c>, command line, appsettings.json) and
    /// the address comes from <c>--urls</c> / <c>ASPNETCORE_URLS</c>, else <see cref="DefaultStandaloneUrl"/>.
    /// Given for an in-process simulator: the ambient configuration is ignored, because it belongs to the
    /// host (its URLs and Kestrel endpoints must not be bound twice), and logging is kept to warnings.
    /// </param>
    /// <param name="args">Command-line arguments, read as configuration.</param>
    /// <param name="url">Where to listen; overrides every other source.</param>
    public static WebApplication Build(SimulatorOptions? options, string[] args, string? url = null) =>
        Build(options, args, url, clock: null);

    private static WebApplication Build(SimulatorOptions? options, string[] args, string? url, TimeProvider? clock)
    {
        ArgumentNullException.ThrowIfNull(args);
        var inProcess = options is not null;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(ProviderSimulator).Assembly.GetName().Name,
        });

        if (inProcess)
        {
            // The host's configuration is the host's: its URLs and Kestrel endpoints would otherwise be bound twice.
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection();
            builder.Configuration.AddCommandLine(args);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }

        var settings = options?.Clone()
            ?? builder.Configuration.GetSection(SimulatorOptions.SectionName).Get<SimulatorOptions>()
            ?? new SimulatorOptions();
        settings.Validate();

        var listenOn = url ?? (inProcess ? DefaultInProcessUrl : builder.Configuration[WebHostDefaults.ServerUrlsKey]) ?? DefaultStandaloneUrl;
        builder.WebHost.UseUrls(listenOn);

        // Callback URLs carry receivers' secret tokens; these categories would log them at Information.
        foreach (var category in QuietCategories)
        {
            builder.Logging.AddFilter(category, LogLevel.Warning);
        }

        AddServices(builder.Services, settings, clock ?? TimeProvider.System);

        var app = builder.Build();
        app.MapPixazoGenerate();
        app.MapPixazoStatus();
        app.MapPixazoResult();
        app.MapApixoGenerate();
        app.MapApixoStatus();
        app.MapMedia();
        app.MapHostedImages();
        app.MapSimulatorDiagnostics();
        StartupBanner.Register(app, settings);
        return app;
    }

    private static void AddServices(IServiceCollection services, SimulatorOptions settings, TimeProvider clock)
    {
        services.AddSingleton(settings);
        services.AddSingleton(clock);
        services.AddSingleton(provider => new SimulatorState(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<GatewayAddress>();
        services.AddSingleton<HostedImages>();
        services.AddSingleton<ImageInspector>();
        services.AddSingleton<GenerateHandler>();
        services.AddSingleton<ApixoAdmission>();
        services.AddSingleton<ApixoGenerateHandler>();
        services.AddSingleton<CallbackQueue>();
        services.AddSingleton<CallbackPlanner>();
        services.AddHostedService<CallbackDispatcher>();
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));

        services.AddHttpClient(CallbackDispatcher.HttpClientName, client => client.Timeout = CallbackDispatcher.AttemptTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers();
    }
}
