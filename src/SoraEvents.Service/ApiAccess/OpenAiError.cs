namespace SoraEvents.Service.ApiAccess;

/// <summary>
/// OpenAI's error member, <c>error: {message, type, param, code}</c>, added to the ProblemDetails of an answer so the
/// official SDKs raise the right error class with a readable message.
/// </summary>
public sealed record OpenAiError(string Message, string Type, string? Param, string? Code)
{
    /// <summary>The ProblemDetails answer carrying this error under <c>error</c>.</summary>
    public Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult ToProblem(int statusCode, string title) =>
        TypedResults.Problem(statusCode: statusCode, title: title, detail: Message,
            extensions: new Dictionary<string, object?> { ["error"] = this });
}
