using Azure.Data.Tables;
using Twin.Observability.Alerts;
using Twin.Observability.Common;
using Twin.Observability.Ledger;

namespace Twin.Observability.Dashboard;

/// <summary>What one round of a dashboard stream read, and where the stream stands after it.</summary>
public sealed record DashboardStreamRound(DashboardStreamEvent Event, StreamCursor Next);

/// <summary>
/// One round of queries of the dashboard stream, whatever the number of rows: the overview (two metrics queries),
/// the ledger rows and alert transitions after the cursor's floor (one range query each), and the active alerts only
/// when something changed. <see cref="StreamWindow"/> decides what is new.
/// </summary>
public sealed class DashboardStreamReader(DashboardService dashboard, RecentTraces recent, LedgerStore ledger, AlertHistoryStore history, TimeProvider time)
{
    /// <summary>The alert history's kind for a state change (its other entries are notifications).</summary>
    private const string TransitionKind = "transition";

    public async Task<DashboardStreamRound> SnapshotAsync(DashboardStreamQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = time.GetUtcNow();
        var start = new StreamCursor(now - StreamWindow.LateWindow, new HashSet<string>());
        var overview = dashboard.OverviewAsync(query.RangeAt(now), cancellationToken);
        var active = dashboard.ActiveAlertsAsync(cancellationToken);
        // The window is read before the list: a row written in between is in the list, so it is marked seen, never lost.
        var window = await ReadAfterAsync(start.Floor, now, query.TwinId, cancellationToken).ConfigureAwait(false);
        var traces = await dashboard.RecentTracesAsync(new RecentTracesQuery(RecentTracesQuery.DefaultLimit, query.TwinId), cancellationToken).ConfigureAwait(false);
        var listed = traces.Data.Select(t => new StreamItem(LedgerKeys.RowKeyOf(t.Timestamp, t.TraceId, t.ObservationId), t.Timestamp));
        var step = StreamWindow.Advance(start, window.Items.Concat(listed), now);
        var snapshot = new DashboardStreamEvent(
            DashboardStreamEvent.Snapshot, now, await overview.ConfigureAwait(false), traces.Data, 0, [], await active.ConfigureAwait(false));
        return new DashboardStreamRound(snapshot, step.Next);
    }

    public async Task<DashboardStreamRound> UpdateAsync(DashboardStreamQuery query, StreamCursor cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(cursor);
        var now = time.GetUtcNow();
        var overview = dashboard.OverviewAsync(query.RangeAt(now), cancellationToken);
        var read = await ReadAfterAsync(cursor.Floor, now, query.TwinId, cancellationToken).ConfigureAwait(false);
        var step = StreamWindow.Advance(cursor, read.Items, now);

        var newRows = read.Rows.Where(r => step.NewKeys.Contains(r.RowKey)).OrderByDescending(r => r.RowKey, StringComparer.Ordinal).ToList();
        var traces = newRows.Take(DashboardEvents.MaxTracesPerEvent).Select(recent.Describe).ToList();
        var changes = read.Transitions
            .Where(e => step.NewKeys.Contains(AlertKey(e)))
            .OrderByDescending(e => e.At)
            .Select(e => new AlertTransition(e.RuleId, e.RuleName, e.From, e.To, e.Value, e.Threshold, e.At))
            .ToList();
        var active = changes.Count > 0 ? await dashboard.ActiveAlertsAsync(cancellationToken).ConfigureAwait(false) : null;
        var update = new DashboardStreamEvent(
            DashboardStreamEvent.Update, now, await overview.ConfigureAwait(false), traces, newRows.Count - traces.Count, changes, active);
        return new DashboardStreamRound(update, step.Next);
    }

    /// <summary>Ledger rows and alert transitions stamped in (<paramref name="floor"/>, <paramref name="now"/>].</summary>
    private async Task<StreamRead> ReadAfterAsync(DateTimeOffset floor, DateTimeOffset now, string? twinId, CancellationToken cancellationToken)
    {
        var from = floor.AddTicks(1);
        var to = now.AddTicks(1);
        var transitions = history.ListAsync(from, to, null, new PageRequest(PageRequest.MaxLimit, null), cancellationToken);
        var rows = new List<TableEntity>();
        await foreach (var row in ledger.RowsBetweenAsync(from, to, twinId, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        var entries = (await transitions.ConfigureAwait(false)).Items.Where(e => e.Kind == TransitionKind).ToList();
        return new StreamRead(rows, entries);
    }

    private static string AlertKey(AlertHistoryEntry entry) => "alert:" + entry.Id;

    private sealed record StreamRead(IReadOnlyList<TableEntity> Rows, IReadOnlyList<AlertHistoryEntry> Transitions)
    {
        public IEnumerable<StreamItem> Items =>
            Rows.Select(r => new StreamItem(r.RowKey, LedgerKeys.TimestampOf(r.RowKey)))
                .Concat(Transitions.Select(e => new StreamItem(AlertKey(e), e.At)));
    }
}
