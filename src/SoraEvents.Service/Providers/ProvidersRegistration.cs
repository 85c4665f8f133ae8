using Microsoft.Extensions.Options;
using SoraEvents.Service.Providers.Apixo;
using SoraEvents.Service.Providers.Pixazo;
using SoraEvents.Service.Providers.Simulator;
using SoraEvents.Simulator;

namespace SoraEvents.Service.Providers;

public static class ProvidersRegistration
{
    public static IServiceCollection AddProviders(this IServiceCollection services)
    {
        services.AddOptions<ProvidersOptions>().BindConfiguration(ProvidersOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Pixazo.UsesSimulator || !string.IsNullOrWhiteSpace(o.Pixazo.BaseUrl),
                "Providers:Pixazo:BaseUrl is required when Providers:Pixazo:ApiKey is set.")
            .Validate(o => o.Apixo.UsesSimulator || !string.IsNullOrWhiteSpace(o.Apixo.BaseUrl),
                "Providers:Apixo:BaseUrl is required when Providers:Apixo:ApiKey is set.")
            .ValidateOnStart();
        services.AddOptions<SimulatorOptions>().BindConfiguration("Simulator");

        // Started before the bus, so a command waiting in the queue never meets a simulator that is not up yet.
        services.AddSingleton<EmbeddedSimulator>();
        services.AddHostedService(sp => sp.GetRequiredService<EmbeddedSimulator>());
        services.AddSingleton<GatewayAddresses>();
        services.AddSingleton<GatewayTransport>();
        services.AddSingleton<StatusQueries>();

        services.AddHttpClient<PixazoGateway>((sp, http) =>
        {
            var (baseUrl, apiKey) = sp.GetRequiredService<GatewayAddresses>().Pixazo;
            http.BaseAddress = baseUrl;
            http.DefaultRequestHeaders.Add(PixazoGateway.KeyHeader, apiKey);
            http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<ProvidersOptions>>().Value.Pixazo.TimeoutSeconds);
        });
        services.AddHttpClient<ApixoGateway>((sp, http) =>
        {
            var (baseUrl, apiKey) = sp.GetRequiredService<GatewayAddresses>().Apixo;
            http.BaseAddress = baseUrl;
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
            http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<ProvidersOptions>>().Value.Apixo.TimeoutSeconds);
        });
        services.AddTransient<IVideoGateway>(sp => sp.GetRequiredService<PixazoGateway>());
        services.AddTransient<IVideoGateway>(sp => sp.GetRequiredService<ApixoGateway>());
        services.AddTransient<GatewayRouter>();
        return services;
    }
}
