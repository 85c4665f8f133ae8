namespace SoraEvents.Service.ApiDocs;

/// <summary>Read from the <c>Api</c> section, next to the keys.</summary>
public sealed class ApiDocsOptions
{
    public const string Section = "Api";

    /// <summary>Serve <c>/openapi/v1.json</c> and the reference page at <c>/scalar</c> (<c>Api__OpenApi=false</c> turns both off).</summary>
    public bool OpenApi { get; set; } = true;
}
