namespace SoraEvents.Cli;

/// <summary>The process exit codes (docs/operators.md lists them).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Broker or API unreachable, unknown queue or job, API error, timeout, purge declined.</summary>
    public const int Failure = 1;

    /// <summary>A malformed command line or option value.</summary>
    public const int Usage = 2;

    /// <summary><c>submit --wait</c>: the job ended with <c>VideoFailed</c>.</summary>
    public const int JobFailed = 3;

    /// <summary>Interrupted by Ctrl+C or SIGTERM.</summary>
    public const int Cancelled = 130;
}
