using FluentValidation;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers;

namespace SoraEvents.Service.Submission;

/// <summary>
/// Everything wrong with a request, found at once: the general rules, then what no gateway could serve.
/// Keys are JSON field names (<c>provider</c> for gateway refusals), as ProblemDetails wants them.
/// </summary>
public sealed class RequestChecks(IValidator<GenerateVideo> validator, GatewayRouter router)
{
    public async Task<IDictionary<string, string[]>> FindProblemsAsync(GenerateVideo request, CancellationToken ct)
    {
        var problems = (await validator.ValidateAsync(request, ct)).ToDictionary();
        var plan = router.Plan(request);
        if (plan.IsRefused) problems["provider"] = [.. plan.Refusals];
        return problems;
    }
}
