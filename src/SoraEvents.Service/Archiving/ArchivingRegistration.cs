namespace SoraEvents.Service.Archiving;

public static class ArchivingRegistration
{
    public static IServiceCollection AddArchiving(this IServiceCollection services)
    {
        services.AddOptions<ArchiveOptions>().BindConfiguration(ArchiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Timeouts are per download (Archive:DownloadTimeoutSeconds); the client's own would cut large videos short.
        services.AddHttpClient<VideoArchiver>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddScoped<VideoArchiving>();
        return services;
    }
}
