using System.ComponentModel.DataAnnotations;

namespace SoraEvents.Service.ApiAccess;

/// <summary>
/// Who may call the HTTP API (<c>/v1/*</c>), read from the <c>Api</c> section: <c>Api__Keys__&lt;caller&gt;=&lt;key&gt;</c>
/// and <c>Api__AdminKeys__&lt;name&gt;=&lt;key&gt;</c>. With no key at all the API is open, and the service then
/// listens on loopback only unless <see cref="AllowAnonymous"/> says otherwise.
/// </summary>
public sealed class ApiOptions : IValidatableObject
{
    public const string Section = "Api";

    /// <summary>Shortest key accepted: a short key is a guessable key.</summary>
    public const int MinKeyLength = 16;

    /// <summary>One key per caller; the caller's name is what its jobs record and its logs carry as <c>Caller</c>.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Keys that see every job (operators, the CLI); the name is logged as the caller.</summary>
    public Dictionary<string, string> AdminKeys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Serve the API without keys on a non-loopback address too (a warning at start says so).</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Requests each caller may make per minute; beyond it the answer is 429 with <c>Retry-After</c>.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Api:RequestsPerMinute must be 1 to 1000000.")]
    public int RequestsPerMinute { get; set; } = 600;

    public bool HasKeys => Configured().Any();

    /// <summary>
    /// Every key with a value, as (setting, caller, key, admin). An empty value is no key, as with the other settings,
    /// so a template such as docker-compose's <c>${SORAEVENTS_API_KEY:-}</c> may leave one unset.
    /// </summary>
    public IEnumerable<(string Setting, string Caller, string Key, bool IsAdmin)> Configured() =>
        Keys.Select(k => ($"Api:Keys:{k.Key}", k.Key, k.Value, false))
            .Concat(AdminKeys.Select(k => ($"Api:AdminKeys:{k.Key}", k.Key, k.Value, true)))
            .Where(k => !string.IsNullOrWhiteSpace(k.Item3))
            .Select(k => (k.Item1, k.Item2, k.Item3.Trim(), k.Item4));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var all = Configured().ToList();
        foreach (var (setting, name, value, _) in all)
        {
            if (value.Length < MinKeyLength)
                yield return new ValidationResult($"{setting} must be a key of at least {MinKeyLength} characters.");
            // The examples in .env.example and the README are public: one copied as it stands protects nothing.
            if (Webhooks.WebhookSigningKey.IsPlaceholder(value))
                yield return new ValidationResult($"{setting} is the example's placeholder; make a real key with: openssl rand -hex 32");
            if (string.Equals(name, ApiCaller.Anonymous, StringComparison.OrdinalIgnoreCase))
                yield return new ValidationResult($"{setting}: '{ApiCaller.Anonymous}' is the name of requests without a key; choose another caller name.");
        }
        foreach (var name in all.Where(k => !k.IsAdmin).Select(k => k.Caller).Intersect(all.Where(k => k.IsAdmin).Select(k => k.Caller), StringComparer.OrdinalIgnoreCase))
            yield return new ValidationResult($"'{name}' is named in both Api:Keys and Api:AdminKeys; one name, one key.");
        // The settings are named, never the key values: this message may be logged.
        foreach (var shared in all.GroupBy(k => k.Key, StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return new ValidationResult($"{string.Join(" and ", shared.Select(k => k.Setting))} have the same key; give each caller its own.");
    }
}
