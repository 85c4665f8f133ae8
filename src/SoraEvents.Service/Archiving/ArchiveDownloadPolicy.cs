using Microsoft.Extensions.Options;
using SoraEvents.Service.OutboundHttp;
using SoraEvents.Service.Providers.Simulator;

namespace SoraEvents.Service.Archiving;

/// <summary>
/// What archive downloads may reach. Video URLs come from gateway callbacks, so they are checked like any URL the
/// service did not choose: https and public addresses, unless <c>Archive:AllowPlainHttp</c> /
/// <c>Archive:AllowPrivateNetworks</c> say otherwise. The built-in simulator serves its videos over http on
/// loopback; its own origin is trusted, and only that one, so the embedded default archives without opening
/// private networks to every gateway.
/// </summary>
public sealed class ArchiveDownloadPolicy(IOptions<ArchiveOptions> options, EmbeddedSimulator simulator)
{
    public OutboundPolicy Create() => new()
    {
        Section = ArchiveOptions.Section,
        AllowPrivateNetworks = options.Value.AllowPrivateNetworks,
        AllowPlainHttp = options.Value.AllowPlainHttp,
        TrustedOrigins = SimulatorOrigins,
    };

    /// <summary>The built-in simulator's address while it runs (it has none before, and none when every gateway has a key).</summary>
    public IEnumerable<Uri> SimulatorOrigins() => simulator.State is null ? [] : [simulator.BaseUrl];
}
