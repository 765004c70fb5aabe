using System.Globalization;
using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Ledger;

/// <summary>
/// The <c>Ledger</c> table: partition = UTC hour (<c>yyyyMMddHH</c>), so a time range is a range of partitions and
/// never a scan; row = timestamp and trace id, so rows of an hour read in time order and a trace has one row.
/// </summary>
public sealed class LedgerStore(TableServiceClient tables) : ILedgerWriter
{
    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.Ledger));

    public static string PartitionOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    public async Task WriteAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        var rowKey = $"{entry.Timestamp.UtcDateTime.ToString("yyyyMMddHHmmssfffffff", CultureInfo.InvariantCulture)}-{entry.TraceId}";
        var entity = new TableEntity(PartitionOf(entry.Timestamp), rowKey)
        {
            [nameof(entry.TraceId)] = entry.TraceId,
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

    /// <summary>The ledger row of a trace written around <paramref name="near"/> (its hour and the hours either side).</summary>
    public async Task<LedgerEntry?> FindAsync(string traceId, DateTimeOffset near, CancellationToken cancellationToken)
    {
        var from = PartitionOf(near.AddHours(-1));
        var to = PartitionOf(near.AddHours(1));
        await foreach (var e in _store.QueryAllAsync($"PartitionKey ge {from} and PartitionKey le {to} and TraceId eq {traceId}", cancellationToken).ConfigureAwait(false))
        {
            return ToEntry(e);
        }

        return null;
    }

    private static LedgerEntry ToEntry(TableEntity e) => new()
    {
        TraceId = e.GetString(nameof(LedgerEntry.TraceId)) ?? "",
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
    };
}
