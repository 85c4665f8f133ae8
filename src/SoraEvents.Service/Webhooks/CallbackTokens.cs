using System.Security.Cryptography;
using System.Text;

namespace SoraEvents.Service.Webhooks;

/// <summary>
/// Gateways do not sign callbacks, so each callback URL carries a token only this service can make:
/// HMAC-SHA256 of the provider and job id under the signing key, base64url. The provider is part of it, so a
/// token handed to one gateway is worthless on another gateway's webhook.
/// </summary>
public sealed class CallbackTokens(byte[] key)
{
    public string Create(string provider, Guid jobId) => Base64Url(Mac(provider, jobId));

    public bool Verify(string provider, Guid jobId, string? token)
    {
        if (string.IsNullOrEmpty(token)) return false;
        Span<byte> presented = stackalloc byte[64];
        if (!TryDecodeBase64Url(token, presented, out var length)) return false;
        // Constant time, so response timing reveals nothing about how much of a guess was right.
        return CryptographicOperations.FixedTimeEquals(Mac(provider, jobId), presented[..length]);
    }

    private byte[] Mac(string provider, Guid jobId) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{provider.ToLowerInvariant()}:{jobId:D}"));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecodeBase64Url(string text, Span<byte> destination, out int length)
    {
        length = 0;
        if (text.Length > 88) return false;
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        return Convert.TryFromBase64String(padded, destination, out length);
    }
}
