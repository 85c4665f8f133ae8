using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SoraEvents.Service.Webhooks;

/// <summary>
/// The configured signing key, or else one generated once and kept in a file, so tokens handed to a gateway
/// stay valid across restarts of a single embedded instance.
/// </summary>
public static class WebhookSigningKey
{
    public const string HowToMakeOne = "make a real key with: openssl rand -base64 48";

    /// <summary>A "change me" text from an example file: long enough for the length check, and known to everyone.</summary>
    public static bool IsPlaceholder(string? key) =>
        key is not null && (key.Contains("change-me", StringComparison.OrdinalIgnoreCase) || key.Contains("changeme", StringComparison.OrdinalIgnoreCase));

    public static byte[] Load(IOptions<WebhookOptions> options, IHostEnvironment environment, ILogger logger)
    {
        var configured = options.Value.SigningKey;
        if (!string.IsNullOrWhiteSpace(configured)) return Encoding.UTF8.GetBytes(configured);

        var path = Path.GetFullPath(options.Value.SigningKeyFile, environment.ContentRootPath);
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        logger.LogWarning(
            "Webhooks:SigningKey is not set: generated a key in {SigningKeyFile}. Several instances must share one key: set Webhooks__SigningKey",
            path);
        return key;
    }
}
