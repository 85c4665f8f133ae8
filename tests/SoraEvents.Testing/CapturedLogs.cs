using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SoraEvents.Testing;

/// <summary>
/// The service's own log lines, kept in memory for the test that started it, so a test that times out can say
/// what the service did with the job instead of only that nothing arrived. Bounded: the oldest lines go first.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private const int MaxLines = 50_000;

    private readonly ConcurrentQueue<string> lines = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    /// <summary>Every kept line that mentions <paramref name="text"/> in its message, scopes or exception.</summary>
    public IReadOnlyList<string> Mentioning(string text) =>
        lines.Where(l => l.Contains(text, StringComparison.OrdinalIgnoreCase)).ToList();

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        lines.Enqueue(line);
        while (lines.Count > MaxLines && lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner.scopes.Push(state);

        // Which categories and levels are kept is the logging filter's business (see ServiceFactory).
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var scopeText = new List<string>();
            owner.scopes.ForEachScope((scope, list) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object>> pairs)
                    list.AddRange(pairs.Select(p => $"{p.Key}={p.Value}"));
                else if (scope is not null)
                    list.Add(scope.ToString() ?? "");
            }, scopeText);
            var scope = scopeText.Count == 0 ? "" : $" [{string.Join(' ', scopeText)}]";
            var error = exception is null ? "" : $" {exception.GetType().Name}: {exception.Message}";
            owner.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{scope}{error}");
        }
    }
}
