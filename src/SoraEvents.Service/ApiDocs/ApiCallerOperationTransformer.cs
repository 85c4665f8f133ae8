using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SoraEvents.Service.ApiDocs;

/// <summary>
/// Operations that require an API caller (<c>RequireApiCaller()</c>) name the Bearer scheme and the two answers
/// every one of them can give besides its own: 401 (no or unknown key) and 429 (beyond the caller's rate limit).
/// </summary>
public sealed class ApiCallerOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any()) return Task.CompletedTask;

        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(ApiDocumentTransformer.BearerScheme, context.Document)] = [],
        });
        operation.Responses ??= new OpenApiResponses();
        operation.Responses.TryAdd("401", Error("No API key, or one that is not configured. Sent with 'WWW-Authenticate: Bearer'.", context.Document));
        var tooMany = Error("Beyond the caller's Api__RequestsPerMinute.", context.Document);
        tooMany.Headers = new Dictionary<string, IOpenApiHeader>
        {
            ["Retry-After"] = new OpenApiHeader { Description = "Seconds until the caller's limit allows another request.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
        };
        operation.Responses.TryAdd("429", tooMany);
        return Task.CompletedTask;
    }

    private static OpenApiResponse Error(string description, OpenApiDocument? document) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ApiDocumentTransformer.ErrorSchema, document) },
        },
    };
}
