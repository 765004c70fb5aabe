using System.Collections.Concurrent;
using System.Diagnostics;
using Twin.Observability.Ledger;

namespace Twin.Observability.Chat;

/// <summary>
/// Rate-limited chats (429, <see cref="ChatErrorTypes.RateLimited"/>, including the refused-credential limit) are
/// counted here instead of each writing a ledger row and a trace: a flood from one address would otherwise cost a
/// Table write and a trace per request. Counted in memory per <see cref="RefusalKey"/> and UTC minute; the first
/// refusal of each key and minute is traced, carrying the count of the key's previous minute, and the others' traces
/// are dropped whole. Each key and minute becomes one ledger row with a <c>Count</c> column, written by
/// <see cref="RefusalFlusher"/> once the minute is over (and on shutdown); its keys are the first refusal's trace and
/// root span ids, so rows of several instances never collide, and writing again after a late count replaces it.
/// </summary>
public sealed class ChatRefusals(TimeProvider time)
{
    /// <summary>The root span attribute (and trace metadata key) with the refusals of the key's previous minute.</summary>
    public const string PreviousMinuteAttribute = "twin.refusals.previous_minute";

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(RefusalKey Key, DateTimeOffset Minute), RefusalBucket> _buckets = new();

    /// <summary>
    /// Counts one refusal. The first of its key and minute keeps its trace, marked with the previous minute's count;
    /// any other drops its trace (<paramref name="root"/> must not have ended yet).
    /// </summary>
    public void Count(RefusalKey key, ChatAttempt attempt, Activity? root, string traceId, string observationId)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var now = time.GetUtcNow();
        var minute = Floor(now);
        if (!_buckets.TryGetValue((key, minute), out var bucket))
        {
            var mine = new RefusalBucket(key, traceId, observationId, now);
            bucket = _buckets.GetOrAdd((key, minute), mine);
            if (ReferenceEquals(bucket, mine))
            {
                var previous = _buckets.TryGetValue((key, minute - Minute), out var before) ? before.Count : 0;
                root?.SetTag(PreviousMinuteAttribute, previous);
                attempt.SetMetadata("refusals_previous_minute", previous.ToString(System.Globalization.CultureInfo.InvariantCulture));
                bucket.Add();
                return;
            }
        }

        bucket.Add();
        attempt.DropTrace(root);
    }

    /// <summary>
    /// The ledger rows of the minutes that ended (all minutes when <paramref name="all"/>, on shutdown) whose counts
    /// changed since they were last written, each with the action that marks it written.
    /// </summary>
    public IReadOnlyList<(LedgerEntry Row, Action Written)> Due(bool all)
    {
        var current = Floor(time.GetUtcNow());
        var due = new List<(LedgerEntry, Action)>();
        foreach (var ((_, minute), bucket) in _buckets)
        {
            if ((all || minute < current) && bucket.Unwritten() is { } count)
            {
                due.Add((bucket.Row(count), () => bucket.MarkWritten(count)));
            }
            else if (minute < current - (2 * Minute) && bucket.Unwritten() is null)
            {
                // Kept one minute past its own for the next minute's "previous" count; a late count is written again.
                _buckets.TryRemove(KeyValuePair.Create((bucket.Key, minute), bucket));
            }
        }

        return due;
    }

    private static DateTimeOffset Floor(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % Minute.Ticks), TimeSpan.Zero);

    private sealed class RefusalBucket(RefusalKey key, string traceId, string observationId, DateTimeOffset firstAt)
    {
        private long _count;
        private long _written;

        public RefusalKey Key => key;

        public long Count => Interlocked.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);

        public long? Unwritten() => Count is var count && count != Interlocked.Read(ref _written) ? count : null;

        public void MarkWritten(long count) => Interlocked.Exchange(ref _written, count);

        public LedgerEntry Row(long count) => new()
        {
            TraceId = traceId,
            ObservationId = observationId,
            TwinId = key.TwinId,
            Endpoint = key.Endpoint,
            Environment = key.Environment,
            Timestamp = firstAt,
            Status = LedgerStatuses.Error,
            HttpStatus = ChatErrorTypes.StatusOf(key.ErrorType),
            ErrorType = key.ErrorType,
            Count = count,
        };
    }
}

/// <summary>
/// What refusals are counted by: the twin (its id when known to exist, else the label of <see cref="Twins.TwinIdLabels"/>,
/// so callers cannot make keys), the endpoint, the error type and the environment.
/// </summary>
public sealed record RefusalKey(string TwinId, string Endpoint, string ErrorType, string Environment);
