using System.Security.Cryptography;
using System.Text;

namespace SoraEvents.Service.ApiAccess;

/// <summary>
/// The configured keys, kept only as SHA-256 digests, and the caller each one names. A presented key is hashed and
/// compared with every digest by <see cref="CryptographicOperations.FixedTimeEquals"/>: equal-length digests mean
/// neither the key's length nor how much of it matched shows in the time the comparison takes, and every entry is
/// compared, so neither does which one matched.
/// </summary>
public sealed class ApiKeyDirectory
{
    private readonly Entry[] entries;

    public ApiKeyDirectory(ApiOptions options) =>
        entries = options.Configured().Select(k => new Entry(Digest(k.Key), k.Caller, k.IsAdmin)).ToArray();

    /// <summary>No key configured: the API is open (see <see cref="ApiOptions"/>).</summary>
    public bool IsEmpty => entries.Length == 0;

    /// <summary>The caller whose key <paramref name="presented"/> is, or null for an unknown key.</summary>
    public ApiKeyOwner? Find(string presented)
    {
        var digest = Digest(presented);
        ApiKeyOwner? owner = null;
        foreach (var entry in entries)
            if (CryptographicOperations.FixedTimeEquals(digest, entry.Digest) && owner is null)
                owner = new ApiKeyOwner(entry.Caller, entry.IsAdmin);
        return owner;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private sealed record Entry(byte[] Digest, string Caller, bool IsAdmin);
}

/// <summary>The caller a key belongs to, and whether it is an admin key.</summary>
public sealed record ApiKeyOwner(string Caller, bool IsAdmin);
