using System.Diagnostics;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SoraEvents.Service.Tests.ApiDocs;

/// <summary>
/// <c>/openapi/v1.json</c> as a test host serves it: valid by an independent validator (npm's
/// <c>@apidevtools/swagger-parser</c>, tests/openapi-check), and equal to the committed snapshot docs/openapi.v1.json,
/// so that a change of the API's contract is a deliberate one.
/// </summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private const string UpdateVariable = "SORAEVENTS_UPDATE_SNAPSHOTS";
    private readonly ServiceFactory factory = new();
    private HttpClient client = null!;

    public Task InitializeAsync()
    {
        client = factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task The_document_names_the_bearer_scheme_and_every_v1_operation_its_401_and_429()
    {
        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        var operations = document.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/v1/", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Route: $"{op.Name} {path.Name}", Operation: op.Value)))
            .ToList();
        Assert.NotEmpty(operations);
        foreach (var (route, operation) in operations)
        {
            Assert.True(operation.TryGetProperty("security", out var security) && security.ToString().Contains("Bearer"), $"{route} names the Bearer scheme");
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("401", out _) && responses.TryGetProperty("429", out _), $"{route} lists 401 and 429");
        }
        Assert.True(document.GetProperty("paths").TryGetProperty("/webhooks/{provider}/{jobId}", out var webhook));
        Assert.False(webhook.GetProperty("post").TryGetProperty("security", out _), "the webhook keeps its per-job token, not the API key");
    }

    [Fact]
    public async Task The_document_is_valid_and_matches_the_committed_snapshot()
    {
        var served = await client.GetStringAsync("/openapi/v1.json");
        var root = RepositoryRoot();
        var file = Path.Combine(factory.DataFolder, "openapi.v1.json");
        Directory.CreateDirectory(factory.DataFolder);
        await File.WriteAllTextAsync(file, served);

        var (exit, output) = await ValidateAsync(root, file);
        Assert.True(exit == 0, $"@apidevtools/swagger-parser refused the document:\n{output}");

        var snapshot = Path.Combine(root, "docs", "openapi.v1.json");
        var normalized = Normalize(served);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(snapshot, normalized);
            return;
        }
        var committed = File.Exists(snapshot) ? Normalize(await File.ReadAllTextAsync(snapshot)) : "(no snapshot yet)";
        Assert.True(committed == normalized,
            $"The OpenAPI document differs from docs/openapi.v1.json. If the API change is deliberate, refresh the snapshot with\n" +
            $"  {UpdateVariable}=1 dotnet test tests/SoraEvents.Service.Tests --filter \"FullyQualifiedName~OpenApiDocumentTests\"\n" +
            $"and commit it. First difference at line {FirstDifference(committed, normalized)}.");
    }

    [Fact]
    public async Task The_reference_page_is_served()
    {
        var page = await client.GetAsync("/scalar/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Api_open_api_false_serves_neither_document_nor_page()
    {
        await using var off = new ServiceFactory();
        off.Settings["Api:OpenApi"] = "false";
        using var http = off.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/scalar/")).StatusCode);
    }

    /// <summary>Re-indented the same way whoever wrote it, with one line ending, so only content differences count (and readable: no \u0027 for a quote).</summary>
    private static string Normalize(string json) =>
        JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ReplaceLineEndings("\n") + "\n";

    private static int FirstDifference(string a, string b)
    {
        var left = a.Split('\n');
        var right = b.Split('\n');
        for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
            if (left[i] != right[i]) return i + 1;
        return Math.Min(left.Length, right.Length) + 1;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "tests", "openapi-check"))) return dir.FullName;
        throw new InvalidOperationException("tests/openapi-check not found above " + AppContext.BaseDirectory);
    }

    /// <summary>One test class at a time installs the validator: a second concurrent <c>npm ci</c> would delete the first's files.</summary>
    private static readonly SemaphoreSlim Install = new(1, 1);

    private static async Task<(int Exit, string Output)> ValidateAsync(string root, string file)
    {
        var folder = Path.Combine(root, "tests", "openapi-check");
        await Install.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(folder, "node_modules", "@apidevtools", "swagger-parser")))
            {
                var (installed, log) = await RunAsync(folder, "npm", "ci", "--no-audit", "--no-fund");
                if (installed != 0) return (installed, "npm ci in tests/openapi-check failed:\n" + log);
            }
        }
        finally
        {
            Install.Release();
        }
        return await RunAsync(folder, "node", "validate.mjs", file);
    }

    private static async Task<(int Exit, string Output)> RunAsync(string folder, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program, args) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
