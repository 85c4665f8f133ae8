using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SoraEvents.Service.ApiDocs;

/// <summary>
/// The document's title and description, the Bearer security scheme of the API keys, and the error body every
/// refusal carries: ProblemDetails with OpenAI's <c>error</c> member.
/// </summary>
public sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "Bearer";
    public const string ErrorSchema = "ApiProblem";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "SoraEvents API",
            Version = "v1",
            Description = "Video generation through Sora 2 gateways with failover. Every /v1 route takes an API key as " +
                          "'Authorization: Bearer <key>' (Api__Keys__<caller>); errors are ProblemDetails with OpenAI's 'error' member.",
        };
        // The address a request came in on is the reader's business, and would make the committed snapshot differ per host.
        document.Servers?.Clear();
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key configured as Api__Keys__<caller> or Api__AdminKeys__<name>. With no key configured the API is open on loopback.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ErrorSchema] = ErrorBody();
        return Task.CompletedTask;
    }

    private static OpenApiSchema ErrorBody() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "ProblemDetails (RFC 9457) with OpenAI's error member, so the OpenAI SDKs raise the matching error class.",
        Required = new HashSet<string> { "status", "error" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["error"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "message", "type", "param", "code" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "invalid_request_error, rate_limit_exceeded, …" },
                    ["param"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                    ["code"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "invalid_api_key, rate_limit_exceeded, …" },
                },
            },
        },
    };
}
