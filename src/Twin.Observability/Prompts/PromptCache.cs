using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Twin.Observability.Prompts;

/// <summary>
/// Stale-while-revalidate cache of fetched prompts, as the Langfuse SDKs cache them. A fresh entry is served as is;
/// a stale one is served at once while exactly one background refresh per key runs; a miss is fetched once, however
/// many callers ask at the same moment. "Not found" is cached too, so a missing prompt does not cost a fetch per chat.
/// Failures of the source are cached as well, for one TTL: a failed refresh keeps the last good prompt and tries again
/// a TTL later; a failed miss is remembered and answered with <see cref="PromptUnavailableException"/> until then. So
/// a source that is down or answers garbage costs one fetch and one warning per key and TTL, never one per chat.
/// </summary>
public sealed partial class PromptCache(TimeProvider time, ILogger<PromptCache> logger)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>
    /// The prompt for <paramref name="key"/> (null: the source has no such prompt). When the source failed for a key
    /// with no good prompt cached, throws <see cref="PromptUnavailableException"/> with the failure inside.
    /// </summary>
    public async Task<PromptTemplate?> GetAsync(string key, TimeSpan ttl, Func<CancellationToken, Task<PromptTemplate?>> fetch, CancellationToken cancellationToken)
    {
        if (ttl > TimeSpan.Zero && _entries.TryGetValue(key, out var cached))
        {
            var stale = time.GetUtcNow() - cached.FetchedAt >= ttl;
            if (cached.Failure is null)
            {
                if (stale)
                {
                    _ = FetchOnceAsync(key, fetch);
                }

                return cached.Value;
            }

            if (!stale)
            {
                throw new PromptUnavailableException(key, cached.Failure);
            }
        }

        var entry = await FetchOnceAsync(key, fetch).WaitAsync(cancellationToken).ConfigureAwait(false);
        return entry.Failure is null ? entry.Value : throw new PromptUnavailableException(key, entry.Failure);
    }

    /// <summary>Drops cached prompts whose key starts with <paramref name="name"/> (after a prompt is changed).</summary>
    public void Invalidate(string name)
    {
        foreach (var key in _entries.Keys.Where(k => k.StartsWith(name, StringComparison.Ordinal)))
        {
            _entries.TryRemove(key, out _);
        }
    }

    // Concurrent callers of one key share one fetch; it leaves the in-flight table when done, success or not. Source
    // failures become entries (never exceptions), so a background refresh cannot fault unobserved; bugs still throw.
    private Task<Entry> FetchOnceAsync(string key, Func<CancellationToken, Task<PromptTemplate?>> fetch)
    {
        var lazy = _inFlight.GetOrAdd(key, k => new Lazy<Task<Entry>>(async () =>
        {
            try
            {
                Entry entry;
                try
                {
                    entry = new Entry(await fetch(CancellationToken.None).ConfigureAwait(false), time.GetUtcNow(), null);
                }
                catch (Exception ex) when (PromptSourceFailures.IsSourceFailure(ex))
                {
                    entry = Failed(k, ex);
                }

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

    private Entry Failed(string key, Exception failure)
    {
        if (_entries.TryGetValue(key, out var last) && last.Failure is null)
        {
            LogRefreshFailed(failure, key);
            return last with { FetchedAt = time.GetUtcNow() };
        }

        LogFetchFailed(failure, key);
        return new Entry(null, time.GetUtcNow(), failure);
    }

    private sealed record Entry(PromptTemplate? Value, DateTimeOffset FetchedAt, Exception? Failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing prompt {Key} failed; serving the last good version until the next refresh")]
    private partial void LogRefreshFailed(Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching prompt {Key} failed; its fallback is used until the next fetch")]
    private partial void LogFetchFailed(Exception exception, string key);
}
