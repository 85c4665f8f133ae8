namespace SoraEvents.Cli;

/// <summary>A failure the operator can act on: printed as one line on stderr, with its exit code, never a stack trace.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Failure, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
