namespace SoraEvents.Service.Configuration;

/// <summary>
/// Where the service listens when nobody said: <c>http://localhost:5080</c> (the CLI's default). Any of the usual
/// ways wins over it: <c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c> or <c>Kestrel__Endpoints__…</c>.
/// </summary>
/// <remarks>
/// Set here rather than as launchSettings.json's applicationUrl, which <c>dotnet run</c> applies over the
/// caller's own ASPNETCORE_URLS; and not as <c>urls</c> in appsettings.json, which is read after ASPNETCORE_URLS.
/// </remarks>
public static class DefaultListenAddress
{
    public const string Url = "http://localhost:5080";

    public static WebApplicationBuilder ListenOnDefaultAddressUnlessTold(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration;
        var told = !string.IsNullOrWhiteSpace(settings["urls"])
            || !string.IsNullOrWhiteSpace(settings["http_ports"])
            || !string.IsNullOrWhiteSpace(settings["https_ports"])
            || settings.GetSection("Kestrel:Endpoints").Exists();
        if (!told) builder.WebHost.UseUrls(Url);
        return builder;
    }
}
