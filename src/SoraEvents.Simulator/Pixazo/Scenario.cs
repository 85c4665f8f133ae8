using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Pixazo;

/// <summary>
/// The misbehaviour a prompt asks for with <c>[sim:…]</c> triggers, so tests and demos can provoke
/// the gateway's ugly answers deterministically.
/// </summary>
internal sealed partial record Scenario(int? HttpStatus, JobStatus Outcome, bool NoCallback)
{
    public static readonly IReadOnlyList<int> SupportedHttpStatuses = [400, 401, 402, 403, 429, 500];

    public static Scenario Normal { get; } = new(null, JobStatus.Completed, false);

    private static string Supported =>
        $"[sim:http={string.Join('|', SupportedHttpStatuses)}], [sim:status=FAILED|ERROR], [sim:nocallback]";

    /// <summary>A prompt may carry several triggers; an unknown one is an error so that typos do not go unnoticed.</summary>
    public static bool TryParse(string prompt, [NotNullWhen(true)] out Scenario? scenario, [NotNullWhen(false)] out string? problem)
    {
        var result = Normal;
        foreach (Match trigger in Trigger().Matches(prompt))
        {
            var body = trigger.Groups["body"].Value.Trim();
            if (body.Equals("nocallback", StringComparison.OrdinalIgnoreCase))
            {
                result = result with { NoCallback = true };
            }
            else if (TryValue(body, "http", out var http)
                && int.TryParse(http, NumberStyles.None, CultureInfo.InvariantCulture, out var status)
                && SupportedHttpStatuses.Contains(status))
            {
                result = result with { HttpStatus = status };
            }
            else if (TryValue(body, "status", out var outcome) && outcome.Equals("FAILED", StringComparison.OrdinalIgnoreCase))
            {
                result = result with { Outcome = JobStatus.Failed };
            }
            else if (TryValue(body, "status", out outcome) && outcome.Equals("ERROR", StringComparison.OrdinalIgnoreCase))
            {
                result = result with { Outcome = JobStatus.Error };
            }
            else
            {
                scenario = null;
                problem = $"Unknown simulator trigger '{trigger.Value}'; supported: {Supported}";
                return false;
            }
        }

        scenario = result;
        problem = null;
        return true;
    }

    /// <summary>The error text the document's "Error via Status/Webhook" body carries; null for a completed job.</summary>
    public string? OutcomeError => Outcome switch
    {
        JobStatus.Failed => "Simulated failure",
        JobStatus.Error => "Simulated system error",
        _ => null,
    };

    /// <summary>The answer a <c>[sim:http=…]</c> trigger asks for, in the document's error shape; null when none was asked for.</summary>
    public Rejection? HttpRejection => HttpStatus switch
    {
        null => null,
        400 => Rejection.BadRequest("Simulated bad request ([sim:http=400])."),
        401 => Rejection.Unauthorized("Simulated: access denied due to invalid subscription key ([sim:http=401])."),
        402 => new Rejection(402, "Insufficient Balance", "Your wallet does not have enough balance."),
        403 => new Rejection(403, "Forbidden", "Simulated: this subscription may not use this API ([sim:http=403])."),
        429 => new Rejection(429, "Too Many Requests", "Simulated: rate limit exceeded, retry after 1 second ([sim:http=429]).", RetryAfterSeconds: 1),
        500 => new Rejection(500, "Internal Server Error", "Simulated internal server error ([sim:http=500])."),
        var other => throw new InvalidOperationException($"No simulated answer for HTTP {other}."),
    };

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
