using System.Security.Claims;

namespace SoraEvents.Service.ApiAccess;

/// <summary>
/// Who is calling the HTTP API, as the API-key authentication leaves it on <see cref="ClaimsPrincipal"/>: the caller's
/// name (from <c>Api:Keys:&lt;caller&gt;</c>) and, for <c>Api:AdminKeys</c>, the admin role that sees every job.
/// </summary>
public static class ApiCaller
{
    /// <summary>The role of keys named in <c>Api:AdminKeys</c>, and of every request while the API is open.</summary>
    public const string AdminRole = "soraevents-admin";

    /// <summary>The caller's name of requests to an API with no keys configured (loopback only, or Api:AllowAnonymous).</summary>
    public const string Anonymous = "anonymous";

    public static string CallerName(this ClaimsPrincipal user) => user.Identity?.Name ?? Anonymous;

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminRole);

    /// <summary>A caller sees its own jobs; an admin sees every job, bus-submitted ones (no caller) included.</summary>
    public static bool MaySee(this ClaimsPrincipal user, string? jobCaller) =>
        user.IsAdmin() || string.Equals(jobCaller, user.CallerName(), StringComparison.Ordinal);
}
