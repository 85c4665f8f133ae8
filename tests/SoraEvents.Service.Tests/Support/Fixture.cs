namespace SoraEvents.Service.Tests.Support;

/// <summary>The JSON examples of the gateways' public documentation (docs/gateways.md links the pages), verbatim.</summary>
public static class Fixture
{
    public static string Read(string provider, string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", provider, name + ".json"));

    public static IEnumerable<string> Names(string provider) =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", provider), "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Order()!;
}
