using System.Collections.Concurrent;

namespace SoraEvents.Simulator.Images;

/// <summary>
/// Images the simulator serves itself at <c>/_sim/images/{name}</c>. Besides <c>data:</c> URIs they are the only
/// images it reads: a URL is never fetched, so a request cannot make the simulator (or the service it runs in)
/// reach an address of the caller's choosing.
/// </summary>
internal sealed class HostedImages
{
    public const string PathPrefix = "/_sim/images/";

    private readonly ConcurrentDictionary<string, HostedImage> images = new(StringComparer.Ordinal);

    public void Add(string name, byte[] bytes, string contentType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(bytes);
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException("An image name is one path segment.", nameof(name));
        }

        images[name] = new HostedImage(bytes, contentType);
    }

    public HostedImage? Find(string name) => images.TryGetValue(name, out var image) ? image : null;
}

/// <summary>One served image.</summary>
internal sealed record HostedImage(byte[] Bytes, string ContentType);
