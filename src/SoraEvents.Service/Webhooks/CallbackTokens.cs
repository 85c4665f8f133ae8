using System.Buffers.Text;
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
    public string Create(string provider, Guid jobId) => Base64Url.EncodeToString(Mac(provider, jobId));

    public bool Verify(string provider, Guid jobId, string? token)
    {
        if (string.IsNullOrEmpty(token)) return false;
        // Checked first: decoding throws on a malformed token rather than answering false. Twice the size of a MAC
        // is room enough; a token that decodes to more is refused without allocating for it.
        Span<byte> presented = stackalloc byte[64];
        if (!Base64Url.IsValid(token, out var length) || length > presented.Length) return false;
        Base64Url.DecodeFromChars(token, presented);
        // Constant time, so response timing reveals nothing about how much of a guess was right.
        return CryptographicOperations.FixedTimeEquals(Mac(provider, jobId), presented[..length]);
    }

    private byte[] Mac(string provider, Guid jobId) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{provider.ToLowerInvariant()}:{jobId:D}"));
}
