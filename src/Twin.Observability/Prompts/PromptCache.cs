using Twin.Observability.Langfuse;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Twin.Observability.Prompts;

/// <summary>
/// Stale-while-revalidate cache of fetched prompts, as the Langfuse SDKs cache them. A fresh entry is served as is;
/// a stale one is served at once while exactly one background refresh per key runs; a miss is fetched once, however
/// many callers ask at the same moment. A failed refresh keeps the last good prompt. "Not found" is cached too, so a
/// missing prompt does not cost a fetch per chat.
/// </summary>
public sealed partial class PromptCache(TimeProvider time, ILogger<PromptCache> logger)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>The prompt for <paramref name="key"/> (null: the source has no such prompt). A miss whose fetch fails throws.</summary>
    public async Task<PromptTemplate?> GetAsync(string key, TimeSpan ttl, Func<CancellationToken, Task<PromptTemplate?>> fetch, CancellationToken cancellationToken)
    {
        if (ttl > TimeSpan.Zero && _entries.TryGetValue(key, out var cached))
        {
            if (time.GetUtcNow() - cached.FetchedAt >= ttl)
            {
                _ = RefreshInBackgroundAsync(key, fetch);
            }

            return cached.Value;
        }

        var entry = await FetchOnceAsync(key, fetch).WaitAsync(cancellationToken).ConfigureAwait(false);
        return entry.Value;
    }

    /// <summary>Drops cached prompts whose key starts with <paramref name="name"/> (after a prompt is changed).</summary>
    public void Invalidate(string name)
    {
        foreach (var key in _entries.Keys.Where(k => k.StartsWith(name, StringComparison.Ordinal)))
        {
            _entries.TryRemove(key, out _);
        }
    }

    private async Task RefreshInBackgroundAsync(string key, Func<CancellationToken, Task<PromptTemplate?>> fetch)
    {
        try
        {
            await FetchOnceAsync(key, fetch).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or TimeoutException or LangfuseApiException or Polly.ExecutionRejectedException)
        {
            LogRefreshFailed(ex, key);
        }
    }

    // Concurrent callers of one key share one fetch; it leaves the in-flight table when done, success or not.
    private Task<Entry> FetchOnceAsync(string key, Func<CancellationToken, Task<PromptTemplate?>> fetch)
    {
        var lazy = _inFlight.GetOrAdd(key, k => new Lazy<Task<Entry>>(async () =>
        {
            try
            {
                var entry = new Entry(await fetch(CancellationToken.None).ConfigureAwait(false), time.GetUtcNow());
                _entries[k] = entry;
                return entry;
            }
            finally
            {
                _inFlight.TryRemove(k, out _);
            }
        }));
        return lazy.Value;
    }

    private sealed record Entry(PromptTemplate? Value, DateTimeOffset FetchedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing prompt {Key} failed; serving the last good version")]
    private partial void LogRefreshFailed(Exception exception, string key);
}
