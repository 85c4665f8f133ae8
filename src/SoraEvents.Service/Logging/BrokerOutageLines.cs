using MassTransit;
using RabbitMQ.Client.Exceptions;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace SoraEvents.Service.Logging;

/// <summary>
/// While the broker cannot be reached, one line per reconnect attempt: MassTransit's "Connection Failed" with the
/// cause appended and no stack trace. Its "Retrying …" lines (one per receive endpoint, each with the same stack
/// trace) are dropped, since the attempt they retry has its line already. Other events caused by the unreachable
/// broker (a readiness probe's failed bus check) keep their line without the stack trace; the rest pass unchanged.
/// </summary>
public sealed class BrokerOutageLines(ILogEventSink next) : ILogEventSink, IDisposable
{
    private static readonly MessageTemplateParser Parser = new();

    public void Emit(LogEvent logEvent)
    {
        if (logEvent.Exception is not { } exception || !IsUnreachableBroker(exception))
        {
            next.Emit(logEvent);
            return;
        }
        // MassTransit's own lines other than "Connection Failed" repeat the attempt once per endpoint.
        if (FromMassTransit(logEvent) && !logEvent.MessageTemplate.Text.StartsWith("Connection Failed", StringComparison.Ordinal)) return;

        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, p.Value)).ToList();
        properties.Add(new LogEventProperty("Reason", new ScalarValue(Innermost(exception).Message)));
        var template = Parser.Parse(logEvent.MessageTemplate.Text + (FromMassTransit(logEvent) ? " ({Reason}); reconnecting" : " (broker unreachable: {Reason})"));
        var level = FromMassTransit(logEvent) ? LogEventLevel.Warning : logEvent.Level;
        next.Emit(new LogEvent(logEvent.Timestamp, level, exception: null, template, properties));
    }

    private static bool FromMassTransit(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("SourceContext", out var source)
        && source is ScalarValue { Value: string name }
        && name.StartsWith("MassTransit", StringComparison.Ordinal);

    private static bool IsUnreachableBroker(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
            if (e is BrokerUnreachableException or ConnectFailureException or RabbitMqConnectionException) return true;
        return false;
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null) exception = exception.InnerException;
        return exception;
    }

    public void Dispose() => (next as IDisposable)?.Dispose();
}
