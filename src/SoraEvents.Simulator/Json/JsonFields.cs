using System.Text.Json;

namespace SoraEvents.Simulator.Json;

/// <summary>Reads request fields by hand, so that every problem with a body can be named at once rather than the first one thrown.</summary>
internal static class JsonFields
{
    /// <summary>
    /// The string value of <paramref name="name"/>; null when absent or JSON null, or (with a problem
    /// added) when not a string. Problems name the field <paramref name="label"/>, e.g. <c>input.size</c>,
    /// or by its name when no label is given.
    /// </summary>
    public static string? OptionalString(JsonElement body, string name, List<string> problems, string? label = null)
    {
        if (!IsPresent(body, name))
        {
            return null;
        }

        var value = body.GetProperty(name);
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{label ?? name} must be a string");
            return null;
        }

        return value.GetString();
    }

    /// <summary>True when <paramref name="name"/> is there with a value other than JSON null.</summary>
    public static bool IsPresent(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
