using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace SoraEvents.Service.ApiAccess;

/// <summary>
/// Secure by default: an API without keys is served only while every listen address is loopback. Checked before
/// the server starts, from the settings Kestrel is about to read, so a refused start never answered a request;
/// checked again once it listens, should code have chosen addresses no setting names.
/// </summary>
public static class ApiAccessStartCheck
{
    /// <summary>Exit code of a start refused for want of API keys.</summary>
    public const int RefusedExitCode = 3;

    public static void Run(WebApplication app)
    {
        // Only Kestrel listens on network addresses: an in-memory test server (whose host must never be exited here,
        // whatever ASPNETCORE_URLS the test run inherited) has nothing to check.
        var server = app.Services.GetRequiredService<IServer>();
        if (server.GetType().Assembly != typeof(KestrelServerOptions).Assembly) return;
        if (server.Features.Get<IServerAddressesFeature>() is not { } addressesFeature) return;

        var options = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiAccessStartCheck));
        if (options.HasKeys) return;

        var configured = ListenAddresses.Configured(app.Configuration, addressesFeature.Addresses);
        var exposed = Exposed(configured);
        if (exposed.Count == 0)
            logger.LogInformation("No API key configured: the HTTP API is open to every caller on this machine, and served on loopback only ({Addresses})",
                string.Join(", ", configured));
        else if (options.AllowAnonymous)
            logger.LogWarning("No API key configured and Api:AllowAnonymous is true: the HTTP API is open to anyone who can reach {Addresses}",
                string.Join(", ", exposed));
        else
        {
            Refuse(logger, exposed);
            // One line and an exit code, not an exception: this is an operator's setting, not a bug with a stack trace.
            Environment.Exit(RefusedExitCode);
        }

        if (options.AllowAnonymous) return;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var late = Exposed(addressesFeature.Addresses.ToList());
            if (late.Count == 0) return;
            Refuse(logger, late);
            Environment.ExitCode = RefusedExitCode;
            app.Lifetime.StopApplication();
        });
    }

    private static List<string> Exposed(IReadOnlyList<string> addresses) => addresses.Where(a => !ListenAddresses.IsLoopback(a)).ToList();

    private static void Refuse(ILogger logger, IReadOnlyList<string> exposed) =>
        logger.LogCritical("Refusing to start: no API key is configured and the service would listen on {Addresses}; set Api__Keys__<caller>=<key> (or Api__AllowAnonymous=true to serve an open API anyway)",
            string.Join(", ", exposed));
}
