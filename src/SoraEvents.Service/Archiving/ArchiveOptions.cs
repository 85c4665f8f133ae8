using System.ComponentModel.DataAnnotations;
using SoraEvents.Service.Configuration;

namespace SoraEvents.Service.Archiving;

public sealed class ArchiveOptions
{
    public const string Section = "Archive";

    /// <summary>Where finished videos are kept (a mounted volume). Empty: nothing is archived.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// Optional URL under which <see cref="Path"/> is served; the archived location on events is then a URL
    /// rather than a file path.
    /// </summary>
    [OptionalUrl]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Larger videos are not archived (and not retried).</summary>
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>How long one download may take.</summary>
    [Range(1, 3600)]
    public double DownloadTimeoutSeconds { get; set; } = 120;

    /// <summary>
    /// How long the terminal event may wait for the first download, so that it can name the archive. After
    /// that it is published without, and the download goes on being retried in the background.
    /// </summary>
    [Range(0, 60)]
    public double WaitBeforePublishSeconds { get; set; } = 5;

    /// <summary>Wait before the first retry; each further retry waits twice as long (at most an hour).</summary>
    [Range(0.05, 3600)]
    public double RetryAfterSeconds { get; set; } = 10;

    /// <summary>Downloads tried in all before giving up (gateways keep result URLs for days, not forever).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// Video URLs on loopback, private, link-local and CGNAT addresses may be downloaded (a CDN on your own network,
    /// tests). Off: only public addresses. Cloud metadata addresses are refused either way. The built-in simulator's
    /// own address is allowed without it.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Plain http video URLs may be downloaded; off: https only (the built-in simulator's own address excepted).</summary>
    public bool AllowPlainHttp { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Path);
}
