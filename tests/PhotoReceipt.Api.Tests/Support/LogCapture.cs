using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PhotoReceipt.Api.Tests.Support;

public sealed record LogEntry(LogLevel Level, string Category, string Message, Exception? Exception);

/// <summary>Every log entry the app writes, so tests can assert what an operator would read.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>Entries written from now on (take a mark, act, then read).</summary>
    public int Mark => _entries.Count;
    public IReadOnlyList<LogEntry> Since(int mark) => [.. _entries.Skip(mark)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) owner._entries.Enqueue(new LogEntry(logLevel, category, formatter(state, exception), exception));
        }
    }
}
