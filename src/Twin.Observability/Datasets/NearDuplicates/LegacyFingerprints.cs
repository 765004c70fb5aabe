using System.Collections.Concurrent;
using Azure.Data.Tables;
using Twin.Observability.Storage;

namespace Twin.Observability.Datasets;

/// <summary>
/// The word lists the near-duplicate check kept before it had buckets (<c>DatasetFingerprints</c>: partition = dataset,
/// row = item id, <c>Words</c> = its content words). Each dataset's list is joined to the buckets once, the first
/// time an instance checks that dataset, and a marker row in <c>DatasetBuckets</c> records that it was done, so
/// items collected before the upgrade still keep their near duplicates out. The old table is only read.
/// </summary>
internal sealed class LegacyFingerprints(TableServiceClient tables)
{
    private const string MarkerRow = "legacy-fingerprints-joined";
    private readonly TableStore<TableEntity> _fingerprints = new(tables.GetTableClient(StorageNames.Tables.DatasetFingerprints));
    private readonly TableStore<TableEntity> _buckets = new(tables.GetTableClient(StorageNames.Tables.DatasetBuckets));
    private readonly ConcurrentDictionary<string, Lazy<Task>> _done = new(StringComparer.Ordinal);

    public async Task MigrateOnceAsync(string datasetName, Func<BucketMember, CancellationToken, Task> join, CancellationToken cancellationToken)
    {
        var migration = _done.GetOrAdd(datasetName, name => new Lazy<Task>(() => MigrateAsync(name, join)));
        try
        {
            await migration.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (migration.Value.IsFaulted)
        {
            _done.TryRemove(KeyValuePair.Create(datasetName, migration));
            throw;
        }
    }

    // Shared by every check of the dataset in this instance, so it is not cancelled with the first caller.
    private async Task MigrateAsync(string datasetName, Func<BucketMember, CancellationToken, Task> join)
    {
        var cancellationToken = CancellationToken.None;
        var partition = DatasetKeys.Of(datasetName);
        if (await _buckets.FindAsync(partition, MarkerRow, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        await foreach (var row in _fingerprints.QueryAllAsync($"PartitionKey eq {partition}", cancellationToken).ConfigureAwait(false))
        {
            var words = (row.GetString("Words") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // Claimed "long ago": a match is confirmed by reading the item, so deleted ones do not count.
            await join(new BucketMember(row.RowKey, DateTimeOffset.UnixEpoch, MinHash.HashWords(words)), cancellationToken).ConfigureAwait(false);
        }

        await _buckets.UpsertAsync(new TableEntity(partition, MarkerRow) { ["JoinedAt"] = DateTimeOffset.UtcNow }, cancellationToken).ConfigureAwait(false);
    }
}
