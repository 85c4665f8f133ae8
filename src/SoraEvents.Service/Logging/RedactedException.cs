namespace SoraEvents.Service.Logging;

/// <summary>
/// An exception as a log line shows it (message, type, stack trace, inner exceptions: its <c>ToString()</c>) with
/// the secrets masked. Sinks render exceptions through <c>ToString()</c>, so this is all they ever see of the original.
/// </summary>
public sealed class RedactedException(string message, string text) : Exception(message)
{
    public override string ToString() => text;
}
