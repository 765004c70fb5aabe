using System.Collections.Concurrent;

namespace Twin.Observability.Twins;

/// <summary>
/// The allowed widget origins of twins this instance read in the last <see cref="MaxAge"/>, so a widget refusal (a
/// 429, a storage outage) can still answer with the CORS headers a browser needs to show it, without a storage read.
/// Only twins that exist are kept (an entry is made from a twin that was read), so the cache holds at most one entry
/// per twin whatever ids callers send. A twin updated or deleted through this instance is dropped at once; other
/// instances keep their copy for at most <see cref="MaxAge"/>. Being known here also means the twin id names a twin,
/// which is what lets an anonymous request's raw twin id into telemetry (<see cref="Chat.ChatScopes"/>).
/// </summary>
public sealed class TwinOriginCache(TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public void Remember(TwinProfile twin)
    {
        ArgumentNullException.ThrowIfNull(twin);
        _entries[twin.Id] = new Entry([.. twin.AllowedOrigins], time.GetUtcNow() + MaxAge);
    }

    public void Forget(string twinId) => _entries.TryRemove(twinId, out _);

    /// <summary>Whether <paramref name="twinId"/> named a twin within the last <see cref="MaxAge"/>.</summary>
    public bool Knows(string twinId) => Fresh(twinId) is not null;

    /// <summary>The normalised <paramref name="origin"/> when the cached twin allows it; null when it does not or the twin is not cached.</summary>
    public string? AllowedOrigin(string twinId, string? origin) =>
        Fresh(twinId) is { } entry && WidgetOrigin.TryNormalise(origin, out var normalised) && entry.Origins.Contains(normalised, StringComparer.Ordinal)
            ? normalised
            : null;

    /// <summary>The cached twin's allowed origins, or null when it is not cached.</summary>
    public IReadOnlyList<string>? OriginsOf(string twinId) => Fresh(twinId)?.Origins;

    private Entry? Fresh(string twinId)
    {
        if (!_entries.TryGetValue(twinId, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt > time.GetUtcNow())
        {
            return entry;
        }

        // Removed only if still this entry: a fresh one remembered meanwhile stays.
        _entries.TryRemove(KeyValuePair.Create(twinId, entry));
        return null;
    }

    private sealed record Entry(string[] Origins, DateTimeOffset ExpiresAt);
}
