using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using SoraEvents.Simulator.Apixo;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Scenarios;

/// <summary>
/// The misbehaviour a prompt asks for with <c>[sim:…]</c> triggers, so tests and demos can provoke
/// the gateways' ugly answers deterministically.
/// </summary>
/// <param name="HttpStatus">Answer the generate call with this HTTP status (<c>[sim:http=…]</c>); both gateways.</param>
/// <param name="Outcome">The status the job ends in: Pixazo's <c>[sim:status=…]</c>, or Failed for APIXO's <c>[sim:failcode=…]</c>.</param>
/// <param name="NoCallback">Never call back (<c>[sim:nocallback]</c>); both gateways.</param>
/// <param name="ApixoRefusal">Refuse the APIXO generate call with a documented envelope (<c>[sim:apixo=…]</c>).</param>
/// <param name="FailCode">The <c>failCode</c> an APIXO task fails with (<c>[sim:failcode=…]</c>).</param>
/// <param name="CreateThenStatus">
/// Create the task as usual (it runs, completes and calls back), then answer the generate call with this HTTP status
/// instead of the acceptance (<c>[sim:create-then=…]</c>), as an API gateway in front of the backend can; both gateways.
/// </param>
internal sealed partial record Scenario(int? HttpStatus, SimulatedJobStatus Outcome, bool NoCallback, ApixoRefusalTrigger? ApixoRefusal, string? FailCode, int? CreateThenStatus = null)
{
    public static readonly IReadOnlyList<int> SupportedHttpStatuses = [400, 401, 402, 403, 429, 500];

    public static readonly IReadOnlyList<int> SupportedCreateThenStatuses = [500, 502, 504];

    public static Scenario Normal { get; } = new(null, SimulatedJobStatus.Completed, false, null, null);

    /// <summary>
    /// A prompt may carry several triggers. An unknown one is an error, so that typos do not go unnoticed; one that
    /// belongs to the other gateway is ignored, because it describes that gateway only: a job that fails over
    /// carries the same prompt, and <c>[sim:apixo=insufficient]</c> must not stop Pixazo from taking it.
    /// </summary>
    /// <param name="prompt">The prompt as sent.</param>
    /// <param name="provider">The gateway being called (<see cref="ProviderNames"/>); some triggers belong to one gateway only.</param>
    /// <param name="scenario">The triggers found, combined.</param>
    /// <param name="problem">What is wrong with a trigger, naming the supported ones.</param>
    public static bool TryParse(string prompt, string provider, [NotNullWhen(true)] out Scenario? scenario, [NotNullWhen(false)] out string? problem)
    {
        var apixo = provider == ProviderNames.Apixo;
        var result = Normal;
        foreach (Match trigger in Trigger().Matches(prompt))
        {
            var body = trigger.Groups["body"].Value.Trim();
            Scenario? next = null;
            if (body.Equals("nocallback", StringComparison.OrdinalIgnoreCase))
            {
                next = result with { NoCallback = true };
            }
            else if (TryValue(body, "http", out var http)
                && int.TryParse(http, NumberStyles.None, CultureInfo.InvariantCulture, out var status)
                && SupportedHttpStatuses.Contains(status))
            {
                next = result with { HttpStatus = status };
            }
            else if (TryValue(body, "create-then", out var createThen)
                && int.TryParse(createThen, NumberStyles.None, CultureInfo.InvariantCulture, out var afterCreating)
                && SupportedCreateThenStatuses.Contains(afterCreating))
            {
                next = result with { CreateThenStatus = afterCreating };
            }
            else if (TryValue(body, "status", out var outcome) && PixazoOutcome(outcome) is { } pixazoOutcome)
            {
                next = apixo ? result : result with { Outcome = pixazoOutcome };
            }
            else if (TryValue(body, "apixo", out var refusal) && ApixoRefusalFor(refusal) is { } apixoRefusal)
            {
                next = apixo ? result with { ApixoRefusal = apixoRefusal } : result;
            }
            else if (TryValue(body, "failcode", out var failCode) && ApixoFailCodes.Find(failCode) is { } knownFailCode)
            {
                next = apixo ? result with { Outcome = SimulatedJobStatus.Failed, FailCode = knownFailCode } : result;
            }

            if (next is null)
            {
                scenario = null;
                problem = $"Unknown simulator trigger '{trigger.Value}'; supported: {Supported(provider)}";
                return false;
            }

            result = next;
        }

        scenario = result;
        problem = null;
        return true;
    }

    private static string Supported(string provider)
    {
        var http = $"[sim:http={string.Join('|', SupportedHttpStatuses)}], [sim:create-then={string.Join('|', SupportedCreateThenStatuses)}]";
        return provider == ProviderNames.Apixo
            ? $"{http}, [sim:apixo=insufficient|policy], [sim:failcode={string.Join('|', ApixoFailCodes.All)}], [sim:nocallback]"
            : $"{http}, [sim:status=FAILED|ERROR], [sim:nocallback]";
    }

    private static SimulatedJobStatus? PixazoOutcome(string value) =>
        value.Equals("FAILED", StringComparison.OrdinalIgnoreCase) ? SimulatedJobStatus.Failed
        : value.Equals("ERROR", StringComparison.OrdinalIgnoreCase) ? SimulatedJobStatus.Error
        : null;

    private static ApixoRefusalTrigger? ApixoRefusalFor(string value) =>
        value.Equals("insufficient", StringComparison.OrdinalIgnoreCase) ? ApixoRefusalTrigger.InsufficientCredits
        : value.Equals("policy", StringComparison.OrdinalIgnoreCase) ? ApixoRefusalTrigger.PolicyViolation
        : null;

    private static bool TryValue(string body, string name, out string value)
    {
        var prefix = name + "=";
        if (body.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            value = body[prefix.Length..].Trim();
            return true;
        }

        value = string.Empty;
        return false;
    }

    [GeneratedRegex(@"\[sim:(?<body>[^\]]*)\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Trigger();
}
