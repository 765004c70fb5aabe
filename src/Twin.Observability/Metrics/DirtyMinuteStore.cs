using Azure;
using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Metrics;

/// <summary>
/// The <c>DirtyMinutes</c> table: minutes whose ledger rows changed after they were rolled up (a late score), one row
/// each, which the next rollup run recomputes and then clears with the mark's ETag, so a mark set again meanwhile
/// survives for the run after.
/// </summary>
public sealed class DirtyMinuteStore(TableServiceClient tables, RollupWatermarkStore watermarks)
{
    private const string Partition = "m";

    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.DirtyMinutes));

    /// <summary>
    /// Marks the minute of <paramref name="at"/> dirty when a rollup run may already have read it. Called after the
    /// ledger row changed: a run that claims the minute later reads the new row, one that claimed it earlier is
    /// caught by the mark.
    /// </summary>
    public async Task MarkIfRolledUpAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var minute = RollupGranularity.Minute.Floor(at);
        if (await watermarks.GetAsync(cancellationToken).ConfigureAwait(false) is { } watermark && minute < watermark.Claimed)
        {
            await _store.UpsertAsync(new TableEntity(Partition, RollupGranularity.Minute.Stamp(minute)), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<(DateTimeOffset Minute, ETag ETag)>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var page = await _store.QueryPageAsync($"PartitionKey eq {Partition}", new PageRequest(limit, null), cancellationToken).ConfigureAwait(false);
        return page.Items.Select(e => (RollupGranularity.Minute.ParseStamp(e.RowKey), e.ETag)).ToList();
    }

    /// <summary>Clears a mark unless it was set again since it was listed; returns whether it was cleared.</summary>
    public async Task<bool> ClearAsync(DateTimeOffset minute, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.DeleteAsync(Partition, RollupGranularity.Minute.Stamp(minute), etag, cancellationToken).ConfigureAwait(false);
        }
        catch (PreconditionFailedException)
        {
            return false;
        }
    }
}
