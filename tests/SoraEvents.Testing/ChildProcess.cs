using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SoraEvents.Testing;

/// <summary>
/// One of our programs (from the test's output folder) as a real process on a loopback port, so a test can
/// kill it as hard as a crash would and start it again.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly string assembly;
    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly ConcurrentQueue<string> output = new();
    private Process? process;

    public ChildProcess(string assembly, int port, IReadOnlyDictionary<string, string> environment)
    {
        this.assembly = assembly;
        this.environment = environment;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>The end of what the process printed, for the failure message of a test.</summary>
    public string Output => string.Join('\n', output.TakeLast(200));

    /// <summary>Every line the process printed so far.</summary>
    public IReadOnlyList<string> Lines => output.ToArray();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the process and waits until <paramref name="readyPath"/> answers anything but a connection error.</summary>
    public async Task StartAsync(string readyPath)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, assembly), "--urls", BaseUrl.AbsoluteUri.TrimEnd('/')])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"{assembly} exited with {process.ExitCode}:\n{Output}");
            try
            {
                using var _ = await http.GetAsync(readyPath);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"{assembly} did not answer on {BaseUrl} within 60 s:\n{Output}");
    }

    /// <summary>
    /// The most memory the process ever had resident (Linux <c>VmHWM</c>, bytes): the peak of an attack, not what is
    /// left after the garbage collector has run.
    /// </summary>
    public long PeakResidentBytes()
    {
        var line = File.ReadLines($"/proc/{process!.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, exactly like a crash.</summary>
    public async Task KillAsync()
    {
        if (process is null || process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
    }
}
