using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace SoraEvents.Testing;

/// <summary>
/// One of our programs (from the test's output folder) as a real process on a loopback port, so a test can
/// kill it as hard as a crash would and start it again.
/// </summary>
/// <remarks>
/// The process binds the port itself (port 0 unless told otherwise) and reports where it listens: Kestrel's
/// "Now listening on:" line, which both the service (Serilog, text or JSON) and the standalone simulator
/// print. Picking a free port here and handing it on would race with every other process on the machine.
/// Every process started is killed with its whole tree when it is disposed, when its start fails, and, should
/// the test host exit without disposing it, when the test host exits. (A test host killed outright can run no
/// code; the test command sweeps for those.)
/// </remarks>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(120);

    /// <summary>Every child still running, so that a test host that exits without disposing them leaves none behind.</summary>
    private static readonly ConcurrentDictionary<ChildProcess, byte> Running = new();

    private readonly string assembly;
    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly int requestedPort;
    private readonly PortReservation? reservation;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? process;
    private int? pid;

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillEveryRunningChild();

    /// <summary>A process that listens on a port of its own choosing (port 0), known as <see cref="BaseUrl"/> once started.</summary>
    public ChildProcess(string assembly, IReadOnlyDictionary<string, string> environment)
        : this(assembly, environment, port: 0, reservation: null)
    {
    }

    /// <summary>
    /// A process that listens on <paramref name="port"/>: for a restart that must come back where its callers
    /// (and the callback URLs it handed out) expect it.
    /// </summary>
    public ChildProcess(string assembly, IReadOnlyDictionary<string, string> environment, int port)
        : this(assembly, environment, port, reservation: null)
    {
    }

    /// <summary>A process that takes over the port held by <paramref name="reservation"/>, released only just before it starts.</summary>
    public ChildProcess(string assembly, IReadOnlyDictionary<string, string> environment, PortReservation reservation)
        : this(assembly, environment, reservation.Port, reservation)
    {
    }

    private ChildProcess(string assembly, IReadOnlyDictionary<string, string> environment, int port, PortReservation? reservation)
    {
        this.assembly = assembly;
        this.environment = environment;
        requestedPort = port;
        this.reservation = reservation;
    }

    /// <summary>Overrides the loopback <c>--urls</c> the process is given (for tests of where the service agrees to listen).</summary>
    public string? Urls { get; init; }

    /// <summary>The exit code once the process has ended, else null.</summary>
    public int? ExitCode => process is { HasExited: true } ? process.ExitCode : null;

    /// <summary>Where the process listens; known once <see cref="StartAsync"/> has returned.</summary>
    public Uri BaseUrl => listening.Task.IsCompletedSuccessfully
        ? listening.Task.Result
        : throw new InvalidOperationException($"{assembly} has not reported its address yet; start it first.");

    public int Port => BaseUrl.Port;

    /// <summary>The operating system's id of the process (the app itself: <c>dotnet app.dll</c> runs it in-process).</summary>
    public int Pid => process?.Id ?? throw new InvalidOperationException($"{assembly} has not been started.");

    /// <summary>The end of what the process printed, for the failure message of a test.</summary>
    public string Output => string.Join('\n', output.TakeLast(200));

    /// <summary>Every line the process printed so far.</summary>
    public IReadOnlyList<string> Lines => output.ToArray();

    /// <summary>
    /// Starts the process and waits until it reports its address and <paramref name="readyPath"/> answers anything
    /// but a connection error; the service is also awaited until <c>/health/ready</c> says 200.
    /// </summary>
    /// <remarks>
    /// The service serves HTTP before its bus is connected (a broker that is down at start must not keep
    /// <c>/health/live</c> dark), so an answer alone no longer means its queues exist.
    /// </remarks>
    public Task StartAsync(string readyPath) => StartAsync(readyPath, untilReady: assembly == "SoraEvents.Service.dll");

    /// <summary>As <see cref="StartAsync(string)"/>; <paramref name="untilReady"/> false for a test that starts the service without what it needs.</summary>
    public async Task StartAsync(string readyPath, bool untilReady)
    {
        if (process is not null) throw new InvalidOperationException($"{assembly} was started already; start a new ChildProcess instead.");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, assembly), "--urls", Urls ?? $"http://127.0.0.1:{requestedPort}"])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        // The address is read from this line, so whatever else the test turned down, this stays on.
        start.Environment["Serilog__MinimumLevel__Override__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";

        reservation?.Dispose();
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.Exited += (_, _) => Running.TryRemove(this, out _);
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.Start();
        pid = process.Id;
        Running[this] = 0;
        if (process.HasExited) Running.TryRemove(this, out _);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await WaitUntilReadyAsync(readyPath);
            if (untilReady) await WaitUntilHealthyAsync();
        }
        catch
        {
            await KillAsync();
            throw;
        }
    }

    private void Read(string? line)
    {
        if (line is null) return;
        output.Enqueue(line);
        if (!listening.Task.IsCompleted && ListeningLine().Match(line) is { Success: true } match)
            // A process told to listen on every interface is reached through loopback.
            listening.TrySetResult(new Uri(match.Groups["url"].Value.TrimEnd('/').Replace("://0.0.0.0:", "://127.0.0.1:").Replace("://[::]:", "://[::1]:") + "/"));
    }

    private async Task WaitUntilReadyAsync(string readyPath)
    {
        var giveUpAt = DateTime.UtcNow + StartPatience;
        var exited = process!.WaitForExitAsync();
        try
        {
            if (await Task.WhenAny(listening.Task, exited).WaitAsync(StartPatience) == exited)
                throw new InvalidOperationException($"{assembly} exited with {process.ExitCode} before it listened:\n{Output}");
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{assembly} did not report where it listens within {StartPatience.TotalSeconds:0} s:\n{Output}");
        }

        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
        while (DateTime.UtcNow < giveUpAt)
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
        throw new TimeoutException($"{assembly} did not answer on {BaseUrl} within {StartPatience.TotalSeconds:0} s:\n{Output}");
    }

    private async Task WaitUntilHealthyAsync()
    {
        var giveUpAt = DateTime.UtcNow + StartPatience;
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
        while (DateTime.UtcNow < giveUpAt)
        {
            if (process!.HasExited) throw new InvalidOperationException($"{assembly} exited with {process.ExitCode}:\n{Output}");
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{assembly} on {BaseUrl} was not ready within {StartPatience.TotalSeconds:0} s:\n{Output}");
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

    /// <summary>SIGKILL to the process and everything it started: no shutdown hooks, no flushing, exactly like a crash.</summary>
    public async Task KillAsync()
    {
        if (process is null) return;
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        finally
        {
            Running.TryRemove(this, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        reservation?.Dispose();
        await KillAsync();
        process?.Dispose();
    }

    /// <remarks>
    /// Raw kill(2): at this point <c>Process.Kill(entireProcessTree: true)</c> left the child running in two of
    /// three tries (vstest's test host is gone soon after this event), while one system call per child never did.
    /// Our programs start no processes of their own, so the children themselves are the whole tree. A child that
    /// ended on its own has left <see cref="Running"/> already, so no reused process id is ever signalled.
    /// </remarks>
    private static void KillEveryRunningChild()
    {
        foreach (var child in Running.Keys)
            if (child.pid is { } pid) _ = SendSignal(pid, SigKill);
    }

    private const int SigKill = 9;

    // DllImport rather than LibraryImport: the latter needs unsafe code enabled for one int-only call.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Kestrel's start-up line: plain text, or a JSON log event where Serilog quotes the address (\"http://…\").</summary>
    [GeneratedRegex(@"Now listening on: (\\?"")?(?<url>https?://[^\s""\\]+)")]
    private static partial Regex ListeningLine();
}
