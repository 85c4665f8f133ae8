namespace SoraEvents.Cli.Tests.Support;

/// <summary>What one run of the CLI printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs <c>soraevents</c> in-process, exactly as its Program does, with captured output.</summary>
public static class Soraevents
{
    public static async Task<CliResult> RunAsync(params string[] args) => await RunWithInputAsync("", CancellationToken.None, args);

    public static async Task<CliResult> RunWithInputAsync(string input, CancellationToken ct, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var stdin = new StringReader(input);
        var code = await CliApp.RunAsync(args, stdout, stderr, stdin, ct);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Starts a long-running command (watch) whose output the test reads while it runs.</summary>
    public static RunningCli Start(CancellationToken ct, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var syncOut = TextWriter.Synchronized(stdout);
        var syncError = TextWriter.Synchronized(stderr);
        return new RunningCli(CliApp.RunAsync(args, syncOut, syncError, TextReader.Null, ct), (syncOut, stdout), (syncError, stderr));
    }

    /// <summary>Asserts success and returns the result.</summary>
    public static async Task<CliResult> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"soraevents {string.Join(' ', args)} failed:\n{result}");
        return result;
    }

    /// <summary>Asserts a failure reported as exactly one line on stderr, no stack trace.</summary>
    public static async Task<CliResult> FailsAsync(params string[] args)
    {
        var result = await RunAsync(args);
        AssertOneLineError(result, args);
        return result;
    }

    public static void AssertOneLineError(CliResult result, string[] args)
    {
        Assert.True(result.ExitCode != 0, $"soraevents {string.Join(' ', args)} should have failed:\n{result}");
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr:\n{result}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.DoesNotContain("   at ", result.Error);
    }
}

/// <summary>A command still running; its output so far, and its result once it ends.</summary>
public sealed class RunningCli(Task<int> run, (TextWriter Sync, StringWriter Text) stdout, (TextWriter Sync, StringWriter Text) stderr)
{
    public string Out => Read(stdout);

    public string Error => Read(stderr);

    // TextWriter.Synchronized locks on the wrapper for every write: reading under the same lock sees whole lines.
    private static string Read((TextWriter Sync, StringWriter Text) writer)
    {
        lock (writer.Sync) return writer.Text.ToString();
    }

    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        var code = await run.WaitAsync(timeout);
        return new CliResult(code, Out, Error);
    }
}
