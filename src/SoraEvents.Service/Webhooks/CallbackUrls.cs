using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace SoraEvents.Service.Webhooks;

/// <summary>
/// Builds the URL a gateway calls back: it names the provider and the job, so even a submission whose answer
/// was lost still finds its job, and carries the job's token.
/// </summary>
public sealed class CallbackUrls(IOptions<WebhookOptions> options, CallbackTokens tokens, IServer server)
{
    public Uri For(string provider, Guid jobId) =>
        new(BaseUrl(), $"webhooks/{provider}/{jobId:D}?token={tokens.Create(provider, jobId)}");

    private Uri BaseUrl()
    {
        var configured = options.Value.PublicBaseUrl;
        if (!string.IsNullOrWhiteSpace(configured)) return new Uri(configured.TrimEnd('/') + "/");

        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Webhooks:PublicBaseUrl is not set and the server listens on no address yet.");
        // A wildcard listen address is not something a caller can dial; loopback is, for the embedded setup.
        var dialable = listening.Replace("://+", "://localhost").Replace("://*", "://localhost")
            .Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://localhost");
        return new Uri(dialable.TrimEnd('/') + "/");
    }
}
