using Serilog.Core;
using Serilog.Events;

namespace SoraEvents.Service.Logging;

/// <summary>
/// Hands every event on with its exception's text redacted (<see cref="SecretRedactor.Redact(Exception)"/>): an
/// enricher can rewrite properties, but an event's exception can only be replaced by writing a new event.
/// </summary>
public sealed class RedactedExceptionSink(SecretRedactor redactor, ILogEventSink next) : ILogEventSink, IDisposable
{
    public void Emit(LogEvent logEvent)
    {
        if (logEvent.Exception is not { } exception || redactor.Redact(exception) is not { } redacted)
        {
            next.Emit(logEvent);
            return;
        }
        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, p.Value));
        next.Emit(new LogEvent(logEvent.Timestamp, logEvent.Level, redacted, logEvent.MessageTemplate, properties));
    }

    public void Dispose() => (next as IDisposable)?.Dispose();
}
