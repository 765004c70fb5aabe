using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Twin.Observability.Tests;

/// <summary>Loggers that keep what they are given, so tests can count log lines and wait for one.</summary>
public sealed class LogRecorder
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message)> _entries = new();
    private readonly List<(Func<LogLevel, string, bool> Match, TaskCompletionSource Logged)> _waiters = [];

    public IReadOnlyList<(string Category, LogLevel Level, string Message)> Entries => [.. _entries];

    public int Count(LogLevel level) => _entries.Count(e => e.Level == level);

    public ILogger<T> For<T>() => new Logger<T>(this);

    /// <summary>Completes when a line of <paramref name="level"/> containing <paramref name="text"/> is logged (from now on).</summary>
    public Task WhenLogged(LogLevel level, string text)
    {
        var logged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            _waiters.Add(((l, m) => l == level && m.Contains(text, StringComparison.Ordinal), logged));
        }

        return logged.Task;
    }

    private void Add(string category, LogLevel level, string message)
    {
        _entries.Enqueue((category, level, message));
        lock (_waiters)
        {
            foreach (var waiter in _waiters.Where(w => w.Match(level, message)).ToList())
            {
                waiter.Logged.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    private sealed class Logger<T>(LogRecorder recorder) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            recorder.Add(typeof(T).Name, logLevel, formatter(state, exception));
    }
}
