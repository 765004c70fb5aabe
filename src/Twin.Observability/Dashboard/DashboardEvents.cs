using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;

namespace Twin.Observability.Dashboard;

/// <summary>
/// The events of <c>GET /api/dashboard/stream</c>: a snapshot (or, resuming from <c>Last-Event-ID</c>, what is new
/// since it), then one update every <see cref="DashboardOptions.StreamIntervalSeconds"/>, and after
/// <see cref="DashboardOptions.StreamMaxSeconds"/> an <c>end</c> event with a <c>retry</c> hint. Every event's id is
/// the cursor to resume from. The client going away ends it at once.
/// </summary>
public sealed partial class DashboardEvents(DashboardStreamReader reader, IOptions<DashboardOptions> options, TimeProvider time, ILogger<DashboardEvents> logger)
{
    public const int MaxTracesPerEvent = RecentTracesQuery.MaxLimit;

    /// <summary>The reconnect hint after a stream that ran its course: at once, it is only a new response.</summary>
    public static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    /// <summary>The reconnect hint after storage failed: give it time.</summary>
    public static readonly TimeSpan ReconnectAfterFailure = TimeSpan.FromSeconds(15);

    /// <summary>A cursor older than this starts afresh with a snapshot: catching up would read an unbounded range.</summary>
    public static readonly TimeSpan MaxResumeGap = TimeSpan.FromMinutes(10);

    public async IAsyncEnumerable<SseItem<DashboardStreamEvent>> EventsAsync(
        DashboardStreamQuery query, string? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var started = time.GetTimestamp();
        var interval = TimeSpan.FromSeconds(options.Value.StreamIntervalSeconds);
        var lasts = TimeSpan.FromSeconds(options.Value.StreamMaxSeconds);
        var cursor = Resumable(StreamCursor.TryDecode(lastEventId), time.GetUtcNow());
        while (true)
        {
            var (round, failed) = await RoundAsync(query, cursor, cancellationToken).ConfigureAwait(false);
            if (round is null)
            {
                if (failed)
                {
                    yield return End(cursor, "Storage is unavailable; reconnect later.", ReconnectAfterFailure);
                }

                yield break;
            }

            cursor = round.Next;
            yield return new SseItem<DashboardStreamEvent>(round.Event, round.Event.Type) { EventId = cursor.Encode() };
            var left = lasts - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || !await WaitAsync(left < interval ? left : interval, cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            if (time.GetElapsedTime(started) >= lasts)
            {
                break;
            }
        }

        if (!cancellationToken.IsCancellationRequested)
        {
            yield return End(cursor, null, Reconnect);
        }
    }

    private static StreamCursor? Resumable(StreamCursor? cursor, DateTimeOffset now) =>
        cursor is not null && cursor.Floor >= now - MaxResumeGap && cursor.Floor <= now ? cursor : null;

    private SseItem<DashboardStreamEvent> End(StreamCursor? cursor, string? note, TimeSpan retry) =>
        new(new DashboardStreamEvent(DashboardStreamEvent.End, time.GetUtcNow(), null, [], 0, [], null, note), DashboardStreamEvent.End)
        {
            EventId = cursor?.Encode(),
            ReconnectionInterval = retry,
        };

    /// <summary>One round; no round (and not failed) when the client went away, failed when storage did.</summary>
    private async Task<(DashboardStreamRound? Round, bool Failed)> RoundAsync(DashboardStreamQuery query, StreamCursor? cursor, CancellationToken cancellationToken)
    {
        try
        {
            var round = cursor is null
                ? await reader.SnapshotAsync(query, cancellationToken).ConfigureAwait(false)
                : await reader.UpdateAsync(query, cursor, cancellationToken).ConfigureAwait(false);
            return (round, false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, false);
        }
        catch (StorageUnavailableException ex)
        {
            // The response has started, so no problem body can be sent: the client gets an end event and comes back.
            LogStorageUnavailable(ex);
            return (null, true);
        }
    }

    /// <summary>False when the client went away while waiting.</summary>
    private async Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage unavailable while streaming the dashboard; the stream ends and the client reconnects")]
    private partial void LogStorageUnavailable(Exception exception);
}
