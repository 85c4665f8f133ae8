using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace SoraEvents.Service.Videos;

/// <summary>
/// Error answers of <c>/v1/videos</c>: ProblemDetails, with OpenAI's <see cref="OpenAiError"/> member added, so both
/// ProblemDetails readers and the OpenAI SDKs understand them.
/// </summary>
public static class ApiProblems
{
    public const string PathPrefix = "/v1/videos";

    public static ProblemHttpResult Create(int status, string title, string detail, string? param = null, string? code = null,
        IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[key] = value;
        problem.Extensions[OpenAiError.Member] = new OpenAiError(detail, OpenAiError.TypeFor(status), param, code ?? OpenAiError.CodeFor(status));
        return TypedResults.Problem(problem);
    }

    /// <summary>A 400 naming each field and what was wrong with it; <c>param</c> is the first field.</summary>
    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors, string? code = null)
    {
        var problem = new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid",
            Detail = string.Join(" ", errors.Values.SelectMany(m => m)),
        };
        var first = errors.Keys.FirstOrDefault();
        problem.Extensions[OpenAiError.Member] = new OpenAiError(problem.Detail, OpenAiError.TypeFor(400), first, code ?? OpenAiError.CodeFor(400));
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Invalid(string param, string message, string? code = null) =>
        Invalid(new Dictionary<string, string[]> { [param] = [message] }, code);

    public static ProblemHttpResult NotFound(string id) =>
        Create(StatusCodes.Status404NotFound, "No such video", $"No video has the id '{id}'.", "id", "video_not_found");

    /// <summary>
    /// Adds the OpenAI member to every ProblemDetails answer under <c>/v1/videos</c> that lacks it: those the framework
    /// writes (405, an unhandled 500, status-code pages) and those of other middleware (authentication, rate limits).
    /// </summary>
    public static void AddOpenAiMember(ProblemDetailsContext context)
    {
        if (!context.HttpContext.Request.Path.StartsWithSegments(PathPrefix)) return;
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey(OpenAiError.Member)) return;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        var param = problem is HttpValidationProblemDetails validation ? validation.Errors.Keys.FirstOrDefault() : null;
        var message = problem.Detail ?? problem.Title ?? $"The request failed with status {status}.";
        if (status == StatusCodes.Status415UnsupportedMediaType && problem.Detail is null)
            message = $"Content-Type must be one of {string.Join(", ", VideoRequestReader.AcceptedContentTypes)}.";
        problem.Extensions[OpenAiError.Member] = new OpenAiError(message, OpenAiError.TypeFor(status), param, OpenAiError.CodeFor(status));
    }
}
