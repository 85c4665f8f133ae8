namespace SoraEvents.Service.OutboundHttp;

public static class OutboundHttpRegistration
{
    /// <summary>
    /// A typed client whose every request goes through <paramref name="policy"/>: checked URLs, checked addresses at
    /// connect time, redirects followed only within one origin. For URLs the service did not choose itself.
    /// </summary>
    public static IHttpClientBuilder AddOutboundHttpClient<TClient>(this IServiceCollection services, Func<IServiceProvider, OutboundPolicy> policy)
        where TClient : class =>
        services.AddHttpClient<TClient>()
            .ConfigurePrimaryHttpMessageHandler(sp => OutboundConnector.CreateHandler(policy(sp)))
            .AddHttpMessageHandler(sp => new OutboundRequestHandler(policy(sp)));
}
