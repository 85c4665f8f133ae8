using System.Net.Http.Headers;
using SoraEvents.Testing;

namespace SoraEvents.Service.Tests.Support;

/// <summary>
/// Callers of the video API with real keys (<c>Api:Keys</c>, <c>Api:AdminKeys</c>), so the tests go through the
/// service's own authentication: "orders" and "billing" are callers, "ops" and "tests" admins.
/// </summary>
public static class TestCallers
{
    private static readonly string[] Callers = ["orders", "billing"];
    private static readonly string[] Admins = ["ops", "tests"];

    /// <summary>The admin every test client of <see cref="Configure"/> calls as, unless it says otherwise.</summary>
    public const string Default = "tests";

    public static string KeyOf(string caller) => $"sk_test_{caller}_0123456789abcdef";

    public static void Configure(ServiceFactory factory)
    {
        foreach (var caller in Callers) factory.Settings[$"Api:Keys:{caller}"] = KeyOf(caller);
        foreach (var admin in Admins) factory.Settings[$"Api:AdminKeys:{admin}"] = KeyOf(admin);
    }

    public static HttpClient As(this HttpClient client, string caller)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", KeyOf(caller));
        return client;
    }
}
