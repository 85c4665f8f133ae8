using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace SoraEvents.Service.Logging;

/// <summary>
/// Scrubs secrets from every string a log event carries: callback tokens in URLs (ASP.NET's request logging
/// would print them) and the configured API keys and signing key, wherever they turn up, in its properties and in
/// the text of its exception (message, stack trace, inner exceptions; see <see cref="RedactedExceptionSink"/>).
/// Our own log statements never pass secrets; this is the net under everyone else's.
/// </summary>
public sealed partial class SecretRedactor(IEnumerable<string?> secrets) : ILogEventEnricher
{
    private const string Mask = "***";
    private readonly string[] secrets = secrets.Where(s => !string.IsNullOrWhiteSpace(s) && s.Length >= 6).Select(s => s!).Distinct().ToArray();

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties.ToList())
            if (Redact(value) is { } redacted) logEvent.AddOrUpdateProperty(new LogEventProperty(name, redacted));
    }

    public string Redact(string text)
    {
        var result = TokenParameter().Replace(text, $"$1{Mask}");
        foreach (var secret in secrets) result = result.Replace(secret, Mask, StringComparison.Ordinal);
        return result;
    }

    /// <summary>The exception as a log shows it with its secrets masked, or null when it shows none.</summary>
    public RedactedException? Redact(Exception exception)
    {
        var text = exception.ToString();
        var clean = Redact(text);
        return clean == text ? null : new RedactedException(Redact(exception.Message), clean);
    }

    private LogEventPropertyValue? Redact(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } when Redact(text) is var clean && clean != text => new ScalarValue(clean),
        SequenceValue sequence when sequence.Elements.Select(e => Redact(e) ?? e).ToList() is var items && !items.SequenceEqual(sequence.Elements)
            => new SequenceValue(items),
        StructureValue structure when structure.Properties.Select(p => new LogEventProperty(p.Name, Redact(p.Value) ?? p.Value)).ToList() is var props
            && !props.Select(p => p.Value).SequenceEqual(structure.Properties.Select(p => p.Value))
            => new StructureValue(props, structure.TypeTag),
        _ => null,
    };

    /// <summary>
    /// <c>token=</c> in a URL, also percent-encoded once or twice (<c>?token%3D…</c>, <c>%3Ftoken%3D…</c>, as a
    /// callback URL looks when it is itself a query value); the value ends where the next parameter begins.
    /// </summary>
    [GeneratedRegex(@"((?:^|[?&\s""']|%(?:25)?(?:3F|26))token(?:=|%(?:25)?3D))(?:[^&\s""'%]|%(?!(?:25)?(?:26|23))[0-9A-F]{2})+",
        RegexOptions.IgnoreCase)]
    private static partial Regex TokenParameter();
}
