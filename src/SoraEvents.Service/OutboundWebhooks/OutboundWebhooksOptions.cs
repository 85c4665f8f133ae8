namespace SoraEvents.Service.OutboundWebhooks;

/// <summary>
/// <c>OutboundWebhooks__*</c>: where <c>video.completed</c> / <c>video.failed</c> are delivered. The section holds both
/// the shared settings and one child per endpoint (<c>OutboundWebhooks__orders__Url</c>), so the endpoints are read
/// from every child that has a <c>Url</c> or a <c>Secret</c> (<see cref="ReadEndpoints"/>).
/// </summary>
public sealed class OutboundWebhooksOptions
{
    public const string Section = "OutboundWebhooks";

    /// <summary>How long a failing delivery is retried, counted from its first attempt, before it goes to the error queue.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Loopback, private, link-local and shared addresses may be reached. Cloud metadata addresses never.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long one delivery attempt may take, connection included.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>The configured endpoints by name (filled from the section's children, not bound by name).</summary>
    public IReadOnlyList<WebhookEndpoint> Endpoints { get; set; } = [];

    private static readonly HashSet<string> SharedSettings =
        new(StringComparer.OrdinalIgnoreCase) { nameof(RetryFor), nameof(AllowPrivateNetworks), nameof(TimeoutSeconds), nameof(Endpoints) };

    /// <summary>Every child of <paramref name="section"/> with a <c>Url</c> or a <c>Secret</c> is an endpoint.</summary>
    public static IReadOnlyList<WebhookEndpoint> ReadEndpoints(IConfiguration section) =>
        section.GetChildren()
            .Where(child => !SharedSettings.Contains(child.Key) && (child["Url"] is not null || child["Secret"] is not null))
            .Select(child => new WebhookEndpoint(child.Key, child["Url"] ?? "", child["Secret"] ?? "", ReadCallers(child.GetSection("Callers"))))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary><c>Callers=orders,billing</c> or <c>Callers__0=orders</c>; none means every caller (and bus jobs).</summary>
    private static IReadOnlyList<string> ReadCallers(IConfigurationSection callers)
    {
        var items = callers.Value is { } list ? list.Split(',') : callers.GetChildren().Select(c => c.Value ?? "");
        return items.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }
}
