using FluentValidation;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers;

namespace SoraEvents.Service.Submission;

/// <summary>
/// Everything wrong with a request, found at once: the general rules, then what no gateway could serve.
/// Keys are JSON field names, a gateway's refusal filed under the field that caused it (<c>provider</c> when none did).
/// </summary>
public sealed class RequestChecks(IValidator<GenerateVideo> validator, GatewayRouter router)
{
    public async Task<IDictionary<string, string[]>> FindProblemsAsync(GenerateVideo request, CancellationToken ct)
    {
        var problems = (await validator.ValidateAsync(request, ct)).ToDictionary();
        var plan = router.Plan(request);
        if (plan.IsRefused)
            foreach (var group in plan.Refusals.GroupBy(FieldOf))
                problems[group.Key] = [.. problems.TryGetValue(group.Key, out var earlier) ? earlier : [], .. group];
        return problems;
    }

    /// <summary>
    /// The field a gateway's refusal is about, read from its wording ("apixo: seconds 5 is not supported…"): the
    /// refusals are sentences meant for people, and the field they name is the first thing after the gateway.
    /// </summary>
    internal static string FieldOf(string refusal)
    {
        var text = refusal[(refusal.IndexOf(": ", StringComparison.Ordinal) is var at and >= 0 ? at + 2 : 0)..];
        if (text.StartsWith("seconds", StringComparison.Ordinal)) return "seconds";
        if (text.StartsWith("size", StringComparison.Ordinal)) return "size";
        if (text.StartsWith("resolution", StringComparison.Ordinal)) return "resolution";
        if (text.StartsWith("the image", StringComparison.Ordinal) || text.StartsWith("image", StringComparison.Ordinal)) return "image";
        return "provider";
    }
}
