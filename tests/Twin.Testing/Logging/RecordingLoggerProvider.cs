using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Twin.Testing.Logging;

/// <summary>
/// Records every log line of an app, at every level: category, level, the formatted message, and the exception's
/// <c>ToString()</c> (type, message, inner exceptions, stack), which is what a console or Application Insights sink
/// writes. For tests that prove what never reaches the log.
/// </summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<RecordedLog> _lines = new();

    public IReadOnlyList<RecordedLog> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, ConcurrentQueue<RecordedLog> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The state's properties too: structured sinks (Application Insights) export them as custom dimensions.
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            lines.Enqueue(new RecordedLog(category, logLevel, formatter(state, exception), properties, exception?.ToString()));
        }
    }
}

/// <summary>One recorded log line.</summary>
public sealed record RecordedLog(string Category, LogLevel Level, string Message, string Properties, string? Exception)
{
    /// <summary>Everything a sink could write for this line.</summary>
    public string Text => $"{Message}\n{Properties}\n{Exception}";

    public override string ToString() => $"[{Level}] {Category}: {Message}{(Exception is null ? "" : " | " + Exception.Split('\n')[0])}";
}
