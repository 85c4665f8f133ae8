using System.CommandLine;

namespace SoraEvents.Cli;

/// <summary>The options every command takes: where the broker and the API are, and whether to print JSON.</summary>
internal sealed class GlobalOptions
{
    public const string AmqpVariable = "RabbitMq__Url";
    public const string ApiVariable = "SORAEVENTS_API";
    public const string ApiKeyVariable = "SORAEVENTS_API_KEY";
    public const string DefaultAmqp = "amqp://guest:guest@127.0.0.1:5672/";
    public const string DefaultApi = "http://localhost:5080";

    // No DefaultValueFactory: help would print the environment's URL, password included.
    public Option<string?> Amqp { get; } = new("--amqp")
    {
        Description = $"RabbitMQ URL; the path is the virtual host [default: ${AmqpVariable}, else {DefaultAmqp}]",
        HelpName = "url",
        Recursive = true,
    };

    public Option<string?> Api { get; } = new("--api")
    {
        Description = $"SoraEvents HTTP API base URL [default: ${ApiVariable}, else {DefaultApi}]",
        HelpName = "url",
        Recursive = true,
    };

    // Like --amqp, no default shown: help must never print a key.
    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"API key, sent as 'Authorization: Bearer <key>' (an Api__AdminKeys__<name> key sees every job) [default: ${ApiKeyVariable}]",
        HelpName = "key",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print JSON for scripts instead of tables (watch: one object per line)",
        Recursive = true,
    };

    public CliContext Resolve(ParseResult parsed, CliConsole console) => new(
        console,
        Url(parsed.GetValue(Amqp) ?? Environment.GetEnvironmentVariable(AmqpVariable) ?? DefaultAmqp, "--amqp", "amqp", "amqps"),
        Url(parsed.GetValue(Api) ?? Environment.GetEnvironmentVariable(ApiVariable) ?? DefaultApi, "--api", "http", "https"),
        parsed.GetValue(Json),
        NonEmpty(parsed.GetValue(ApiKey)) ?? NonEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)));

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Uri Url(string value, string option, params string[] schemes)
    {
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
            return uri;
        throw new CliException($"{option} must be an absolute {string.Join(" or ", schemes.Select(s => s + "://"))} URL, not '{Redact.Url(value)}'",
            ExitCodes.Usage);
    }
}
