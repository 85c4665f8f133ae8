using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SoraEvents.Service.Configuration;

/// <summary>
/// A start-up that fails on a setting ends with one line per bad setting, named as an environment variable
/// (<c>Webhooks__MaxBodyBytes</c>), and exit code 2: no stack traces, no abort.
/// </summary>
public static partial class InvalidSettings
{
    public const int ExitCode = 2;

    /// <summary>
    /// From now on an exception about settings that nothing catches, wherever it comes from (options validated at
    /// start, a consumer definition or health check reading its options while the app is built), ends the process
    /// with one line per bad setting instead of the runtime's stack trace and abort.
    /// </summary>
    public static void ExitWithOneLineEach()
    {
        // Once per process: test hosts run Program's top-level code once per host.
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is not Exception ex || Explain(ex) is not { Count: > 0 } lines) return;
            foreach (var line in lines) Console.Error.WriteLine(line);
            Environment.Exit(ExitCode);
        };
    }

    private static int installed;

    /// <summary>One line per bad setting in <paramref name="exception"/>, or none when it is not about settings.</summary>
    public static IReadOnlyList<string> Explain(Exception exception) => exception switch
    {
        OptionsValidationException invalid => invalid.Failures.Select(f => Line(invalid.OptionsType, f)).ToList(),
        AggregateException many when many.InnerExceptions.All(e => Explain(e).Count > 0) => many.InnerExceptions.SelectMany(Explain).ToList(),
        InvalidOperationException unreadable when UnconvertibleValue().Match(unreadable.Message) is { Success: true } match =>
            [$"Invalid setting {EnvironmentName(match.Groups["key"].Value)}: {(match.Groups["value"].Success ? $"'{match.Groups["value"].Value}'" : "the value")} is not a valid {match.Groups["type"].Value}."],
        _ => [],
    };

    private static string Line(Type optionsType, string failure)
    {
        var section = optionsType.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string;
        if (DataAnnotationFailure().Match(failure) is { Success: true } match)
        {
            var members = match.Groups["members"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var names = string.Join(", ", members.Select(m => EnvironmentName(section is null ? m : $"{section}:{m}")));
            return $"Invalid setting {names}: {match.Groups["error"].Value}";
        }
        if (section is not null && NamedKey().Match(failure) is { Success: true } named && named.Groups["key"].Value.StartsWith(section + ":", StringComparison.Ordinal))
            return $"Invalid setting {EnvironmentName(named.Groups["key"].Value)}: {failure}";
        return section is null ? $"Invalid settings: {failure}" : $"Invalid setting in {section}__*: {failure}";
    }

    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    // Microsoft.Extensions.Options.DataAnnotations' wording: "DataAnnotation validation failed for 'T' members: 'A,B' with the error: '…'."
    [GeneratedRegex(@"members: '(?<members>[^']*)' with the error: '(?<error>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    // Our own validation messages start with the key they are about: "Webhooks:SigningKey must …".
    [GeneratedRegex(@"^(?<key>[A-Za-z]+(?::[A-Za-z0-9]+)+)\b")]
    private static partial Regex NamedKey();

    // Microsoft.Extensions.Configuration.Binder's wording for a value it cannot convert.
    [GeneratedRegex(@"^Failed to convert configuration value (?:'(?<value>[^']*)' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex UnconvertibleValue();
}
