using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace SoraEvents.Service.ApiDocs;

public static class ApiDocsRegistration
{
    /// <summary>The OpenAPI document of every route (Microsoft.AspNetCore.OpenApi), with the API-key scheme and error body.</summary>
    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddOptions<ApiDocsOptions>().BindConfiguration(ApiDocsOptions.Section).ValidateOnStart();
        services.AddOpenApi(openApi =>
        {
            openApi.AddDocumentTransformer<ApiDocumentTransformer>();
            openApi.AddOperationTransformer<ApiCallerOperationTransformer>();
        });
        return services;
    }

    /// <summary><c>/openapi/v1.json</c> and the interactive reference at <c>/scalar</c>, unless <c>Api:OpenApi</c> is false.</summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<ApiDocsOptions>>().Value.OpenApi) return app;
        app.MapOpenApi();
        app.MapScalarApiReference(page => page.WithTitle("SoraEvents API"));
        return app;
    }
}
