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

    /// <summary>
    /// Same property names, recursively, and the same JSON types (true and false count as one), as a
    /// document's example: values may differ, shapes may not. Arrays are compared by their first items.
    /// </summary>
    public static void SameShape(JsonElement expected, JsonElement actual, string path = "$")
    {
        Assert.True(Kind(expected) == Kind(actual), $"{path}: expected {Kind(expected)}, got {Kind(actual)} ({actual.GetRawText()})");
        if (expected.ValueKind == JsonValueKind.Object)
        {
            var expectedNames = expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
            var actualNames = actual.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
            Assert.True(expectedNames.SequenceEqual(actualNames), $"{path}: expected properties [{string.Join(", ", expectedNames)}], got [{string.Join(", ", actualNames)}]");
            foreach (var property in expected.EnumerateObject())
            {
                SameShape(property.Value, actual.GetProperty(property.Name), $"{path}.{property.Name}");
            }
        }
        else if (expected.ValueKind == JsonValueKind.Array && expected.GetArrayLength() > 0)
        {
            Assert.True(actual.GetArrayLength() > 0, $"{path}: expected a non-empty array");
            SameShape(expected[0], actual[0], $"{path}[0]");
        }

        static JsonValueKind Kind(JsonElement element) => element.ValueKind == JsonValueKind.False ? JsonValueKind.True : element.ValueKind;
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static string Str(JsonElement element, string name) =>
        element.GetProperty(name).GetString() ?? throw new Xunit.Sdk.XunitException($"{name} is null");

    public static void IsNull(JsonElement element, string name) =>
        Assert.Equal(JsonValueKind.Null, element.GetProperty(name).ValueKind);
}
