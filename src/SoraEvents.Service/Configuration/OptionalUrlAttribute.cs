using System.ComponentModel.DataAnnotations;

namespace SoraEvents.Service.Configuration;

/// <summary>
/// An absolute http(s) URL, or nothing. An empty value counts as nothing: <c>KEY=</c> in an env file sets an
/// empty string, and such a line means "not set", as in <c>.env.example</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionalUrlAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) =>
        value is not string text || string.IsNullOrWhiteSpace(text)
        || (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));

    public override string FormatErrorMessage(string name) => $"{name} must be an absolute http(s) URL, or empty.";
}
