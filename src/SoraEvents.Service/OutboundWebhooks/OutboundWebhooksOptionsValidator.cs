using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SoraEvents.Service.OutboundWebhooks;

/// <summary>One line per mistake, naming the setting, so a bad endpoint stops the start instead of failing every delivery.</summary>
public sealed partial class OutboundWebhooksOptionsValidator : IValidateOptions<OutboundWebhooksOptions>
{
    private const string Prefix = "whsec_";

    public ValidateOptionsResult Validate(string? name, OutboundWebhooksOptions options)
    {
        var errors = new List<string>();
        const string s = OutboundWebhooksOptions.Section;
        if (options.RetryFor < TimeSpan.Zero || options.RetryFor > TimeSpan.FromDays(30))
            errors.Add($"{s}__RetryFor must be between 00:00:00 and 30.00:00:00.");
        if (options.TimeoutSeconds is < 0.1 or > 120)
            errors.Add($"{s}__TimeoutSeconds must be between 0.1 and 120.");
        foreach (var endpoint in options.Endpoints)
        {
            var at = $"{s}__{endpoint.Name}";
            if (!EndpointName().IsMatch(endpoint.Name))
                errors.Add($"{at}: an endpoint name has letters, digits, '-' and '_' only (it names the endpoint's queue).");
            if (!Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                errors.Add($"{at}__Url must be an absolute http or https URL.");
            if (!IsSecret(endpoint.Secret))
                errors.Add($"{at}__Secret must be a Standard Webhooks secret: \"{Prefix}\" followed by base64 of 24 to 64 random bytes.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsSecret(string secret)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var key = new byte[64];
        return Convert.TryFromBase64String(secret[Prefix.Length..], key, out var length) && length >= 24;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex EndpointName();
}
