namespace Twin.Observability.Dashboard;

/// <summary>Something a stream event can carry, by its unique key and its time.</summary>
public sealed record StreamItem(string Key, DateTimeOffset At);

/// <summary>What one round found new, and the cursor after it.</summary>
public sealed record StreamStep(IReadOnlySet<string> NewKeys, StreamCursor Next);

/// <summary>
/// The "new since the last event" rule of the dashboard stream. A round reads every item after the cursor's floor;
/// the new ones are those the cursor has not seen. The next floor trails the round's time by <see cref="LateWindow"/>
/// (a row stamped that long before it is written is still caught) and is raised further when more than
/// <see cref="MaxSeen"/> hashes would be kept, so a cursor stays small however busy the app is.
/// </summary>
public static class StreamWindow
{
    /// <summary>How late a row may be written after its stamp and still be streamed.</summary>
    public static readonly TimeSpan LateWindow = TimeSpan.FromMinutes(2);

    public const int MaxSeen = 300;

    /// <param name="cursor">Where the stream stands.</param>
    /// <param name="read">Every item read this round after <c>cursor.Floor</c> (older ones are ignored).</param>
    /// <param name="now">The time the round read up to.</param>
    public static StreamStep Advance(StreamCursor cursor, IEnumerable<StreamItem> read, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        ArgumentNullException.ThrowIfNull(read);
        var items = read.Where(i => i.At > cursor.Floor).ToList();
        var fresh = items.Select(i => i.Key).Where(k => !cursor.Seen.Contains(StreamCursor.HashOf(k))).ToHashSet(StringComparer.Ordinal);

        var floor = Max(cursor.Floor, now - LateWindow);
        var kept = items.Where(i => i.At > floor).OrderByDescending(i => i.At).ToList();
        if (kept.Count > MaxSeen)
        {
            // Items sharing the cut's time all fall under the floor, so the cursor never holds half of a tie.
            floor = kept[MaxSeen].At;
            kept = kept.Where(i => i.At > floor).ToList();
        }

        var seen = kept.Select(i => StreamCursor.HashOf(i.Key)).ToHashSet(StringComparer.Ordinal);
        return new StreamStep(fresh, new StreamCursor(floor, seen));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
