using System.Security.Cryptography;
using System.Text;

namespace SoraEvents.Service.Videos;

/// <summary>
/// The <c>Idempotency-Key</c> request header: the same key from the same caller always names the same job, so a
/// client's retry of a POST whose answer it lost finds the job it already created instead of paying for another.
/// The job id is derived from caller and key (a name-based UUID, version 5, RFC 9562), so nothing more needs storing.
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";

    public const int MaxLength = 255;

    /// <summary>The UUID namespace of SoraEvents' idempotency keys; changing it would give every key a new job.</summary>
    private static readonly Guid Namespace = new("6f3c2b1e-5a0d-4c8e-9b7a-2d4e6f8a0c1b");

    /// <summary>What is wrong with a key as sent, or null when it is usable.</summary>
    public static string? Problem(string key) =>
        key.Length is 0 or > MaxLength || key.Any(c => c is < ' ' or > '~') || string.IsNullOrWhiteSpace(key)
            ? $"{Header} must be 1 to {MaxLength} printable ASCII characters."
            : null;

    /// <summary>The job id that <paramref name="key"/> names for <paramref name="caller"/>.</summary>
    public static Guid JobIdFor(string caller, string key) =>
        NameBased(Namespace, $"{caller.Length}:{caller}:{key}"); // length-prefixed, so no caller and key can pass for another pair

    /// <summary>
    /// A version-5 UUID. Written here because the BCL makes only versions 4 and 7, and one function is not worth a
    /// package; SHA-1 is what the RFC prescribes for version 5, and no secrecy rests on it.
    /// </summary>
    internal static Guid NameBased(Guid space, string name)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        space.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
