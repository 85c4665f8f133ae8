using Microsoft.AspNetCore.Http.Features;
using SoraEvents.Service.Archiving;
using SoraEvents.Service.OutboundHttp;

namespace SoraEvents.Service.Videos;

public static class VideoApiRegistration
{
    public static IServiceCollection AddVideoApi(this IServiceCollection services)
    {
        services.AddOptions<VideoApiOptions>().BindConfiguration(VideoApiOptions.Section).ValidateOnStart();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<VideoObjects>();
        services.AddSingleton<VideoArchiveFiles>();
        // The same guard as archive downloads: the URL came from a gateway. No client timeout: a video streams for as long as it takes.
        services.AddOutboundHttpClient<GatewayVideoStream>(sp => sp.GetRequiredService<ArchiveDownloadPolicy>().Create())
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.Configure<ProblemDetailsOptions>(options =>
        {
            var earlier = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                earlier?.Invoke(context);
                ApiProblems.AddOpenAiMember(context);
            };
        });
        // An uploaded input_reference larger than a gateway takes is refused; the form may hold little more.
        services.Configure<FormOptions>(options => options.MultipartBodyLengthLimit = VideoRequestReader.MaxUploadBytes + 1024 * 1024);
        return services;
    }
}
