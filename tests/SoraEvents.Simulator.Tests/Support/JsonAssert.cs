using System.Text.Json;

namespace SoraEvents.Simulator.Tests.Support;

internal static class JsonAssert
{
    /// <summary>The object has exactly these properties, no more, no fewer.</summary>
    public static void HasExactly(JsonElement element, params string[] names)
    {
        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        var actual = element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(names.Order(StringComparer.Ordinal).ToArray(), actual);
    }

    public static string Str(JsonElement element, string name) =>
        element.GetProperty(name).GetString() ?? throw new Xunit.Sdk.XunitException($"{name} is null");

    public static void IsNull(JsonElement element, string name) =>
        Assert.Equal(JsonValueKind.Null, element.GetProperty(name).ValueKind);
}
