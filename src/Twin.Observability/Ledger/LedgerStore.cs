using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Twin.Observability.Storage;

namespace Twin.Observability.Ledger;

/// <summary>
/// The <c>Ledger</c> table (keys: <see cref="LedgerKeys"/>): one row per traced request, so a time range is a range of
/// partitions and never a scan, and a chat has one row even when several chats share a caller's trace.
/// </summary>
public sealed class LedgerStore(TableServiceClient tables, IOptions<LedgerOptions> options) : ILedgerWriter
{
    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.Ledger));

    public string PartitionOf(DateTimeOffset at, string traceId) => LedgerKeys.PartitionOf(at, traceId, options.Value.Shards);

    public async Task WriteAsync(LedgerEntry entry, CancellationToken cancellationToken) =>
        await _store.UpsertAsync(EntityOf(entry), cancellationToken).ConfigureAwait(false);

    /// <summary>The row <see cref="WriteAsync"/> writes for <paramref name="entry"/> (its keys, columns and truncated text).</summary>
    public TableEntity EntityOf(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return LedgerRows.EntityOf(entry, PartitionOf(entry.Timestamp, entry.TraceId), options.Value.TextChars);
    }

    /// <summary>
    /// Puts the judges' scores on the row of the chat written at <paramref name="timestamp"/>: <c>Score_{name}</c>
    /// columns, the scoring method, and the judges that failed with why. Earlier score columns are replaced, not
    /// merged, so a re-evaluation never leaves a score beside an error for the same judge. Read-modify-write with the
    /// row's ETag; returns false (and writes nothing) when the chat's row does not exist.
    /// </summary>
    public Task<bool> RecordScoresAsync(
        string traceId,
        string observationId,
        DateTimeOffset timestamp,
        IReadOnlyDictionary<string, double> scores,
        string method,
        IReadOnlyDictionary<string, string> judgeErrors,
        CancellationToken cancellationToken) =>
        RecordScoresAsync(traceId, observationId, timestamp, scores, method, judgeErrors, [], null, cancellationToken);

    /// <summary>
    /// As above, with the persona rules the reply violated and the dataset the chat joined (null when none), which
    /// metrics count per rule and per dataset.
    /// </summary>
    public async Task<bool> RecordScoresAsync(
        string traceId,
        string observationId,
        DateTimeOffset timestamp,
        IReadOnlyDictionary<string, double> scores,
        string method,
        IReadOnlyDictionary<string, string> judgeErrors,
        IReadOnlyList<string> violations,
        string? dataset,
        CancellationToken cancellationToken)
    {
        var row = await FindRowAsync(timestamp, traceId, observationId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return false;
        }

        // Only the judges' own columns: feedback and user-defined scores on the row outlive a re-evaluation.
        var judged = new HashSet<string>(Evaluation.ScoreNames.All.Concat(scores.Keys).Select(n => LedgerRows.ScorePrefix + n), StringComparer.Ordinal);
        foreach (var key in row.Keys.Where(k => judged.Contains(k) || k is "ScoreMethod" or "JudgeErrors" or LedgerRows.ViolationsColumn or LedgerRows.DatasetColumn).ToList())
        {
            row.Remove(key);
        }

        row["ScoreMethod"] = method;
        if (judgeErrors.Count > 0)
        {
            row["JudgeErrors"] = string.Join("; ", judgeErrors.Select(e => $"{e.Key}: {e.Value}"));
        }

        foreach (var (name, value) in scores)
        {
            row[LedgerRows.ScorePrefix + name] = value;
        }

        if (violations.Count > 0)
        {
            row[LedgerRows.ViolationsColumn] = System.Text.Json.JsonSerializer.Serialize(violations);
        }

        if (!string.IsNullOrEmpty(dataset))
        {
            row[LedgerRows.DatasetColumn] = dataset;
        }

        await _store.ReplaceAsync(row, row.ETag, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Sets one score on the chat's row (feedback, a user-defined score), leaving the others: read-modify-write with the
    /// row's ETag, again on a concurrent change. Returns false when the chat's row does not exist.
    /// </summary>
    public async Task<bool> RecordScoreAsync(string traceId, string observationId, DateTimeOffset timestamp, string name, double value, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await FindRowAsync(timestamp, traceId, observationId, cancellationToken).ConfigureAwait(false) is not { } row)
            {
                return false;
            }

            row[LedgerRows.ScorePrefix + name] = value;
            try
            {
                await _store.ReplaceAsync(row, row.ETag, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Common.PreconditionFailedException) when (attempt < 10)
            {
                // The judges (or another score) changed the row in between: read it again and set the score on top.
            }
        }
    }

    /// <summary>
    /// The (first) ledger row of a trace written around <paramref name="near"/> (its hour and the hours either side);
    /// a trace that holds several chats has one row per chat (<see cref="RowsOfTraceAsync"/>).
    /// </summary>
    public async Task<LedgerEntry?> FindAsync(string traceId, DateTimeOffset near, CancellationToken cancellationToken) =>
        await RowsOfTraceAsync(traceId, near, cancellationToken).ConfigureAwait(false) is [var first, ..] ? first : null;

    /// <summary>Every ledger row (one per chat) of a trace written around <paramref name="near"/>, in time order.</summary>
    public Task<IReadOnlyList<LedgerEntry>> RowsOfTraceAsync(string traceId, DateTimeOffset near, CancellationToken cancellationToken) =>
        RowsOfTraceInHoursAsync(traceId, near.AddHours(-1), near.AddHours(1), cancellationToken);

    /// <summary>
    /// Every ledger row of a trace written in the hours of <paramref name="firstHour"/> to <paramref name="lastHour"/>
    /// (whole hours, every shard), in time order: one partition-range query.
    /// </summary>
    public async Task<IReadOnlyList<LedgerEntry>> RowsOfTraceInHoursAsync(string traceId, DateTimeOffset firstHour, DateTimeOffset lastHour, CancellationToken cancellationToken)
    {
        var from = LedgerKeys.FirstPartitionOf(firstHour);
        var to = LedgerKeys.PastPartitionsOf(lastHour);
        var rows = new List<LedgerEntry>();
        await foreach (var e in _store.QueryAllAsync($"PartitionKey ge {from} and PartitionKey lt {to} and TraceId eq {traceId}", cancellationToken).ConfigureAwait(false))
        {
            rows.Add(LedgerRows.ToEntry(e));
        }

        // Partitions list hour by hour and shard by shard; a shard count changed within the range could interleave them.
        return [.. rows.OrderBy(r => r.Timestamp)];
    }

    /// <summary>
    /// Every ledger row written in [<paramref name="from"/>, <paramref name="to"/>), across all shards, in no set
    /// order; only <paramref name="twinId"/>'s when given.
    /// </summary>
    public IAsyncEnumerable<TableEntity> RowsBetweenAsync(DateTimeOffset from, DateTimeOffset to, string? twinId, CancellationToken cancellationToken)
    {
        var firstPartition = LedgerKeys.FirstPartitionOf(from);
        var pastPartitions = LedgerKeys.PastPartitionsOf(to.AddTicks(-1));
        var fromRow = LedgerKeys.TimestampKey(from);
        var toRow = LedgerKeys.TimestampKey(to);
        return twinId is null
            ? _store.QueryAllAsync($"PartitionKey ge {firstPartition} and PartitionKey lt {pastPartitions} and RowKey ge {fromRow} and RowKey lt {toRow}", cancellationToken)
            : _store.QueryAllAsync($"PartitionKey ge {firstPartition} and PartitionKey lt {pastPartitions} and RowKey ge {fromRow} and RowKey lt {toRow} and TwinId eq {twinId}", cancellationToken);
    }

    /// <summary>The rows of an A/B test's chats written in [<paramref name="from"/>, <paramref name="to"/>), across all shards.</summary>
    public async IAsyncEnumerable<LedgerEntry> RowsOfExperimentAsync(
        string experimentId,
        DateTimeOffset from,
        DateTimeOffset to,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var firstPartition = LedgerKeys.FirstPartitionOf(from);
        var pastPartitions = LedgerKeys.PastPartitionsOf(to.AddTicks(-1));
        var fromRow = LedgerKeys.TimestampKey(from);
        var toRow = LedgerKeys.TimestampKey(to);
        await foreach (var e in _store.QueryAllAsync($"PartitionKey ge {firstPartition} and PartitionKey lt {pastPartitions} and RowKey ge {fromRow} and RowKey lt {toRow} and Experiment eq {experimentId}", cancellationToken).ConfigureAwait(false))
        {
            yield return LedgerRows.ToEntry(e);
        }
    }

    /// <summary>
    /// One page of the rows of one hour (every shard) written in [<paramref name="from"/>, <paramref name="to"/>) that
    /// match every clause of <paramref name="clauses"/>.
    /// </summary>
    public Task<Common.ResultPage<TableEntity>> SearchHourAsync(
        DateTimeOffset hour,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<FormattableString> clauses,
        Common.PageRequest page,
        CancellationToken cancellationToken)
    {
        var first = LedgerKeys.FirstPartitionOf(hour);
        var past = LedgerKeys.PastPartitionsOf(hour);
        var fromRow = LedgerKeys.TimestampKey(from);
        var toRow = LedgerKeys.TimestampKey(to);
        return _store.QueryPageWhereAllAsync(
            [$"PartitionKey ge {first} and PartitionKey lt {past} and RowKey ge {fromRow} and RowKey lt {toRow}", .. clauses],
            page,
            cancellationToken);
    }

    /// <summary>
    /// The start of the earliest hour with rows, or null for an empty ledger: one entity read, since a table lists in
    /// key order (its shard's first row need not be the hour's first, so the hour is the answer).
    /// </summary>
    public async Task<DateTimeOffset?> EarliestHourAsync(CancellationToken cancellationToken)
    {
        var page = await _store.QueryPageAsync(null, new Common.PageRequest(1, null), cancellationToken).ConfigureAwait(false);
        return page.Items is [var first, ..] ? LedgerKeys.HourStartOf(first.PartitionKey) : null;
    }

    // The row is where its shard puts it; a row written under another shard count is found by its hour and row key.
    private async Task<TableEntity?> FindRowAsync(DateTimeOffset timestamp, string traceId, string observationId, CancellationToken cancellationToken)
    {
        var rowKey = LedgerKeys.RowKeyOf(timestamp, traceId, observationId);
        if (await _store.FindAsync(PartitionOf(timestamp, traceId), rowKey, cancellationToken).ConfigureAwait(false) is { } row)
        {
            return row;
        }

        var first = LedgerKeys.FirstPartitionOf(timestamp);
        var past = LedgerKeys.PastPartitionsOf(timestamp);
        await foreach (var e in _store.QueryAllAsync($"PartitionKey ge {first} and PartitionKey lt {past} and RowKey eq {rowKey}", cancellationToken).ConfigureAwait(false))
        {
            return e;
        }

        return null;
    }
}
