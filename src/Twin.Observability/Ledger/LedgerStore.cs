using System.Globalization;
using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Ledger;

/// <summary>
/// The <c>Ledger</c> table: partition = UTC hour (<c>yyyyMMddHH</c>), so a time range is a range of partitions and
/// never a scan; row = timestamp, trace id and root observation id, so rows of an hour read in time order and a chat
/// has one row even when several chats share a caller's trace.
/// </summary>
public sealed class LedgerStore(TableServiceClient tables) : ILedgerWriter
{
    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.Ledger));

    public static string PartitionOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    public async Task WriteAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(PartitionOf(entry.Timestamp), RowKeyOf(entry.Timestamp, entry.TraceId, entry.ObservationId))
        {
            [nameof(entry.TraceId)] = entry.TraceId,
            [nameof(entry.ObservationId)] = entry.ObservationId,
            [nameof(entry.TwinId)] = entry.TwinId,
            [nameof(entry.Endpoint)] = entry.Endpoint,
            [nameof(entry.Environment)] = entry.Environment,
            [nameof(entry.Timestamp)] = entry.Timestamp,
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
        };
        await _store.UpsertAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts the judges' scores on the row of the chat written at <paramref name="timestamp"/>: <c>Score_{name}</c>
    /// columns, the scoring method, and the judges that failed with why. Earlier score columns are replaced, not
    /// merged, so a re-evaluation never leaves a score beside an error for the same judge. Read-modify-write with the
    /// row's ETag; returns false (and writes nothing) when the chat's row does not exist.
    /// </summary>
    public async Task<bool> RecordScoresAsync(
        string traceId,
        string observationId,
        DateTimeOffset timestamp,
        IReadOnlyDictionary<string, double> scores,
        string method,
        IReadOnlyDictionary<string, string> judgeErrors,
        CancellationToken cancellationToken)
    {
        var row = await _store.FindAsync(PartitionOf(timestamp), RowKeyOf(timestamp, traceId, observationId), cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return false;
        }

        foreach (var key in row.Keys.Where(k => k.StartsWith(ScorePrefix, StringComparison.Ordinal) || k is "ScoreMethod" or "JudgeErrors").ToList())
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

        await _store.ReplaceAsync(row, row.ETag, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The (first) ledger row of a trace written around <paramref name="near"/> (its hour and the hours either side);
    /// a trace that holds several chats has one row per chat (<see cref="RowsOfTraceAsync"/>).
    /// </summary>
    public async Task<LedgerEntry?> FindAsync(string traceId, DateTimeOffset near, CancellationToken cancellationToken) =>
        await RowsOfTraceAsync(traceId, near, cancellationToken).ConfigureAwait(false) is [var first, ..] ? first : null;

    /// <summary>Every ledger row (one per chat) of a trace written around <paramref name="near"/>, in time order.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> RowsOfTraceAsync(string traceId, DateTimeOffset near, CancellationToken cancellationToken)
    {
        var from = PartitionOf(near.AddHours(-1));
        var to = PartitionOf(near.AddHours(1));
        var rows = new List<LedgerEntry>();
        await foreach (var e in _store.QueryAllAsync($"PartitionKey ge {from} and PartitionKey le {to} and TraceId eq {traceId}", cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ToEntry(e));
        }

        return rows;
    }

    private const string ScorePrefix = "Score_";

    private static string RowKeyOf(DateTimeOffset timestamp, string traceId, string observationId) =>
        $"{timestamp.UtcDateTime.ToString("yyyyMMddHHmmssfffffff", CultureInfo.InvariantCulture)}-{traceId}-{observationId}";

    private static LedgerEntry ToEntry(TableEntity e) => new()
    {
        TraceId = e.GetString(nameof(LedgerEntry.TraceId)) ?? "",
        ObservationId = e.GetString(nameof(LedgerEntry.ObservationId)) ?? "",
        TwinId = e.GetString(nameof(LedgerEntry.TwinId)) ?? "",
        Endpoint = e.GetString(nameof(LedgerEntry.Endpoint)) ?? "",
        Environment = e.GetString(nameof(LedgerEntry.Environment)) ?? "",
        Timestamp = e.GetDateTimeOffset(nameof(LedgerEntry.Timestamp)) ?? DateTimeOffset.MinValue,
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
    };
}
