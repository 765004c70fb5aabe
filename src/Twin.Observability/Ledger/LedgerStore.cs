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
        var text = options.Value.TextChars;
        var entity = new TableEntity(PartitionOf(entry.Timestamp, entry.TraceId), LedgerKeys.RowKeyOf(entry.Timestamp, entry.TraceId, entry.ObservationId))
        {
            [nameof(entry.TraceId)] = entry.TraceId,
            [nameof(entry.ObservationId)] = entry.ObservationId,
            [nameof(entry.TwinId)] = entry.TwinId,
            [nameof(entry.Endpoint)] = entry.Endpoint,
            [nameof(entry.Environment)] = entry.Environment,
            [nameof(entry.LatencyMs)] = entry.LatencyMs,
            [nameof(entry.UserId)] = entry.UserId,
            [nameof(entry.ConversationId)] = entry.ConversationId,
            [nameof(entry.Model)] = entry.Model,
            [nameof(entry.InputTokens)] = entry.InputTokens,
            [nameof(entry.OutputTokens)] = entry.OutputTokens,
            // Table storage has no decimal; a double holds a cost in dollars to far below a cent.
            [nameof(entry.CostUsd)] = entry.CostUsd is { } cost ? (double)cost : null,
            [nameof(entry.Status)] = entry.Status,
            [nameof(entry.HttpStatus)] = entry.HttpStatus,
            [nameof(entry.ErrorType)] = entry.ErrorType,
            [nameof(entry.PromptName)] = entry.PromptName,
            [nameof(entry.PromptVersion)] = entry.PromptVersion,
            [nameof(entry.Experiment)] = entry.Experiment,
            [nameof(entry.Variant)] = entry.Variant,
            [nameof(entry.NodeTimings)] = entry.NodeTimings,
            [nameof(entry.Message)] = Truncate(entry.Message, text),
            [nameof(entry.Reply)] = Truncate(entry.Reply, text),
            [ViolationsColumn] = entry.Violations.Count > 0 ? System.Text.Json.JsonSerializer.Serialize(entry.Violations) : null,
            [DatasetColumn] = entry.Dataset,
            ["ScoreMethod"] = entry.ScoreMethod,
            ["JudgeErrors"] = entry.JudgeErrors,
        };

        // Only where they say something: a plain row stands for one request and names its twin.
        if (entry.Count != 1)
        {
            entity[nameof(entry.Count)] = entry.Count;
        }

        if (entry.TwinIdHash is not null)
        {
            entity[nameof(entry.TwinIdHash)] = entry.TwinIdHash;
        }

        // Chats are written before they are judged, so this is for rows that arrive whole (imports, tests).
        foreach (var (name, value) in entry.Scores)
        {
            entity[ScorePrefix + name] = value;
        }

        return entity;
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
        var judged = new HashSet<string>(Evaluation.ScoreNames.All.Concat(scores.Keys).Select(n => ScorePrefix + n), StringComparer.Ordinal);
        foreach (var key in row.Keys.Where(k => judged.Contains(k) || k is "ScoreMethod" or "JudgeErrors" or ViolationsColumn or DatasetColumn).ToList())
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
            row[ScorePrefix + name] = value;
        }

        if (violations.Count > 0)
        {
            row[ViolationsColumn] = System.Text.Json.JsonSerializer.Serialize(violations);
        }

        if (!string.IsNullOrEmpty(dataset))
        {
            row[DatasetColumn] = dataset;
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

            row[ScorePrefix + name] = value;
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
            rows.Add(ToEntry(e));
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
            yield return ToEntry(e);
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

    private const string ScorePrefix = "Score_";
    private const string ViolationsColumn = "PersonaViolations";
    private const string DatasetColumn = "Dataset";

    public static string ScoreColumn(string name) => ScorePrefix + name;

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

    private static string? Truncate(string? text, int chars) =>
        chars == 0 || text is null ? null : text.Length <= chars ? text : text[..chars];

    public static LedgerEntry ToEntry(TableEntity e) => new()
    {
        TraceId = e.GetString(nameof(LedgerEntry.TraceId)) ?? "",
        ObservationId = e.GetString(nameof(LedgerEntry.ObservationId)) ?? "",
        TwinId = e.GetString(nameof(LedgerEntry.TwinId)) ?? "",
        TwinIdHash = e.GetString(nameof(LedgerEntry.TwinIdHash)),
        Count = e.GetInt64(nameof(LedgerEntry.Count)) ?? 1,
        Endpoint = e.GetString(nameof(LedgerEntry.Endpoint)) ?? "",
        Environment = e.GetString(nameof(LedgerEntry.Environment)) ?? "",
        Timestamp = LedgerKeys.TimestampOf(e.RowKey),
        LatencyMs = e.GetInt64(nameof(LedgerEntry.LatencyMs)) ?? 0,
        UserId = e.GetString(nameof(LedgerEntry.UserId)),
        ConversationId = e.GetString(nameof(LedgerEntry.ConversationId)),
        Model = e.GetString(nameof(LedgerEntry.Model)),
        InputTokens = e.GetInt64(nameof(LedgerEntry.InputTokens)) ?? 0,
        OutputTokens = e.GetInt64(nameof(LedgerEntry.OutputTokens)) ?? 0,
        CostUsd = e.GetDouble(nameof(LedgerEntry.CostUsd)) is { } cost ? (decimal)cost : null,
        Status = e.GetString(nameof(LedgerEntry.Status)) ?? "",
        HttpStatus = e.GetInt32(nameof(LedgerEntry.HttpStatus)) ?? 0,
        ErrorType = e.GetString(nameof(LedgerEntry.ErrorType)),
        PromptName = e.GetString(nameof(LedgerEntry.PromptName)),
        PromptVersion = e.GetInt32(nameof(LedgerEntry.PromptVersion)),
        Scores = e.Keys.Where(k => k.StartsWith(ScorePrefix, StringComparison.Ordinal) && e.GetDouble(k) is not null)
            .ToDictionary(k => k[ScorePrefix.Length..], k => e.GetDouble(k)!.Value, StringComparer.Ordinal),
        ScoreMethod = e.GetString("ScoreMethod"),
        JudgeErrors = e.GetString("JudgeErrors"),
        Violations = e.GetString(ViolationsColumn) is { } violations ? System.Text.Json.JsonSerializer.Deserialize<string[]>(violations) ?? [] : [],
        Dataset = e.GetString(DatasetColumn),
        Experiment = e.GetString(nameof(LedgerEntry.Experiment)),
        Variant = e.GetString(nameof(LedgerEntry.Variant)),
        NodeTimings = e.GetString(nameof(LedgerEntry.NodeTimings)),
        Message = e.GetString(nameof(LedgerEntry.Message)),
        Reply = e.GetString(nameof(LedgerEntry.Reply)),
    };
}
