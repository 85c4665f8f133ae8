using SoraEvents.Service.OutboundHttp;

namespace SoraEvents.Service.Archiving;

public static class ArchivingRegistration
{
    public static IServiceCollection AddArchiving(this IServiceCollection services)
    {
        services.AddOptions<ArchiveOptions>().BindConfiguration(ArchiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ArchiveDownloadPolicy>();
        services.AddHostedService<ArchiveDownloadAnnouncement>();
        // Timeouts are per download (Archive:DownloadTimeoutSeconds); the client's own would cut large videos short.
        services.AddOutboundHttpClient<ArchiveDownloader>(sp => sp.GetRequiredService<ArchiveDownloadPolicy>().Create())
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddScoped<ArchiveBeforePublish>();
        return services;
    }
}
