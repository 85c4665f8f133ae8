using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace SoraEvents.Testing.AsyncApi;

/// <summary>
/// <c>docs/asyncapi.yaml</c> as a validator: picks the messages the document allows on an exchange or queue and checks a
/// body against their JSON Schemas, so a message on the real broker that the document does not describe fails its test.
/// </summary>
public sealed partial class BusContract
{
    private static readonly Uri DocumentUri = new("https://soraevents.local/docs/asyncapi.yaml");
    private static readonly Lazy<BusContract> Committed = new(() => Load(CommittedPath()));

    private readonly JsonElement document;
    private readonly BuildOptions build;
    private readonly Dictionary<string, JsonSchema> schemas = new(StringComparer.Ordinal);
    private readonly Lock building = new();

    private BusContract(JsonElement document)
    {
        this.document = document;
        // AsyncAPI's schema format is a superset of draft-07, whose unknown keywords (the rest of the document) are allowed.
        build = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft07 };
        // The whole document is registered as one schema resource, so a message's "$ref: '#/components/schemas/…'"
        // resolves inside it exactly as the AsyncAPI tools resolve it.
        build.SchemaRegistry.Register(JsonSchema.Build(document, build, DocumentUri));
    }

    /// <summary>The committed document, read once per test run.</summary>
    public static BusContract Document => Committed.Value;

    public static BusContract Load(string path) =>
        new(JsonSerializer.SerializeToElement(YamlJson.Read(File.ReadAllText(path))));

    public static string CommittedPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "asyncapi.yaml");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"docs/asyncapi.yaml not found above {AppContext.BaseDirectory}");
    }

    public IReadOnlyList<string> MessageNames =>
        [.. document.GetProperty("components").GetProperty("messages").EnumerateObject().Select(m => m.Name)];

    /// <summary>Every example in the document: its message, its name, the part it shows (payload or headers) and the value.</summary>
    public IEnumerable<ContractExample> Examples() =>
        from message in document.GetProperty("components").GetProperty("messages").EnumerateObject()
        where message.Value.TryGetProperty("examples", out _)
        from example in message.Value.GetProperty("examples").EnumerateArray()
        from part in new[] { "payload", "headers" }
        where example.TryGetProperty(part, out _)
        select new ContractExample(message.Name, example.GetProperty("name").GetString()!, part, example.GetProperty(part));

    /// <summary>
    /// The component messages the document allows on an address (an exchange or a queue; <c>{parameter}</c> matches
    /// any name) with this content type; every one of them when the message carries none.
    /// </summary>
    public IReadOnlyList<string> MessagesOn(string address, string? contentType)
    {
        var fallback = document.TryGetProperty("defaultContentType", out var type) ? type.GetString() : null;
        var found = new List<string>();
        // The most specific address wins: "outbound-webhook-orders_error" is also "outbound-webhook-{endpoint}".
        var channels = document.GetProperty("channels").EnumerateObject().Select(c => c.Value)
            .Where(c => AddressPattern(c.GetProperty("address").GetString()!).IsMatch(address))
            .GroupBy(c => Parameter().Replace(c.GetProperty("address").GetString()!, "").Length)
            .MaxBy(g => g.Key) ?? Enumerable.Empty<JsonElement>();
        foreach (var channel in channels)
        {
            if (!channel.TryGetProperty("messages", out var messages)) continue;
            foreach (var reference in messages.EnumerateObject())
            {
                var name = reference.Value.GetProperty("$ref").GetString()!.Split('/')[^1];
                var declared = document.GetProperty("components").GetProperty("messages").GetProperty(name)
                    .TryGetProperty("contentType", out var own) ? own.GetString() : fallback;
                if (contentType is null || declared is null || string.Equals(declared, contentType, StringComparison.OrdinalIgnoreCase))
                    if (!found.Contains(name)) found.Add(name);
            }
        }
        return found;
    }

    /// <summary>Null when a message that arrived on <paramref name="address"/> is one the document allows there; else why not.</summary>
    public string? CheckDelivery(string address, string? contentType, ReadOnlyMemory<byte> body)
    {
        var candidates = MessagesOn(address, contentType);
        if (candidates.Count == 0)
            return $"docs/asyncapi.yaml has no message for '{address}' with content type '{contentType ?? "(none)"}'.";
        JsonElement parsed;
        try
        {
            parsed = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return $"a message on '{address}' is not JSON: {ex.Message}";
        }
        var violations = new List<string>();
        foreach (var name in candidates)
        {
            if (Check(name, "payload", parsed) is not { } violation) return null;
            violations.Add(violation);
        }
        return $"a message on '{address}' matches none of the document's messages there:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}";
    }

    /// <summary>Null when <paramref name="value"/> is valid against the message's payload (or headers) schema; else every violation.</summary>
    public string? Check(string messageName, string part, JsonElement value)
    {
        var location = $"#/components/messages/{messageName}/{part}";
        var results = SchemaAt(location).Evaluate(value, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true });
        if (results.IsValid) return null;
        var violations = Failures(results).Distinct().ToList();
        return $"{messageName} {part} breaks docs/asyncapi.yaml {location}:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}";
    }

    /// <summary>The keywords that failed, by their place in the document; a branch of a passing oneOf is no failure.</summary>
    private static IEnumerable<string> Failures(EvaluationResults result)
    {
        foreach (var (keyword, error) in result.Errors ?? new Dictionary<string, string>())
            yield return $"  {Where(result)}{(keyword.Length > 0 ? "/" + keyword : "")} at instance '{result.InstanceLocation}': {error}";
        foreach (var failure in (result.Details ?? []).Where(d => !d.IsValid).SelectMany(Failures))
            yield return failure;
    }

    /// <summary>The keyword's place in the document (<c>#/components/schemas/…</c>) when known, else the path taken to it.</summary>
    private static string Where(EvaluationResults result) =>
        result.SchemaLocation is { Fragment.Length: > 0 } at ? Uri.UnescapeDataString(at.Fragment) : result.EvaluationPath.ToString();

    private JsonSchema SchemaAt(string location)
    {
        lock (building)
        {
            if (schemas.TryGetValue(location, out var built)) return built;
            var reference = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["$ref"] = DocumentUri + location });
            return schemas[location] = JsonSchema.Build(reference, build, new Uri(DocumentUri, "reference/" + Uri.EscapeDataString(location)));
        }
    }

    private static Regex AddressPattern(string address) =>
        new("^" + string.Join("[^/]+", Parameter().Split(address).Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}

/// <summary>One example of the document: <see cref="Part"/> is <c>payload</c> or <c>headers</c>.</summary>
public sealed record ContractExample(string Message, string Name, string Part, JsonElement Value)
{
    public override string ToString() => $"{Message}/{Name}/{Part}";
}
