using System.Diagnostics;
using System.Text.Json;

namespace SoraEvents.Service.Tests.OutboundWebhooks;

/// <summary>
/// Verifies a delivery with implementations that share no code with ours: npm's <c>standardwebhooks</c> and the
/// <c>openai</c> SDK's <c>webhooks.verifySignature</c> (tests/webhook-verify/verify.mjs), installed there on first use.
/// </summary>
public static class NodeWebhookVerifier
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    public static async Task<JsonElement> VerifyAsync(string secret, IReadOnlyDictionary<string, string> headers, string body)
    {
        var folder = Folder();
        await InstallAsync(folder);
        var input = JsonSerializer.Serialize(new
        {
            secret,
            headers = headers.Where(h => h.Key.StartsWith("webhook-", StringComparison.Ordinal)).ToDictionary(),
            body,
        });
        var (code, output) = await RunAsync(folder, "node", ["verify.mjs"], input);
        Assert.True(output.TrimStart().StartsWith('{'), $"verify.mjs exited {code}: {output}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static async Task InstallAsync(string folder)
    {
        await Install.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(folder, "node_modules", "standardwebhooks"))
                && Directory.Exists(Path.Combine(folder, "node_modules", "openai"))) return;
            var (code, output) = await RunAsync(folder, "npm", ["install", "--no-audit", "--no-fund"], "");
            Assert.True(code == 0, $"npm install in {folder} failed: {output}");
        }
        finally
        {
            Install.Release();
        }
    }

    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "webhook-verify");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        throw new InvalidOperationException("tests/webhook-verify not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int Code, string Output)> RunAsync(string folder, string program, string[] args, string input)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
