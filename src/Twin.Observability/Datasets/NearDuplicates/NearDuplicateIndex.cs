using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Datasets;

/// <summary>
/// Near-duplicate check of dataset inputs by MinHash and LSH (<see cref="MinHash"/>: 32 bands × 4 rows over the
/// content words), with the buckets in <c>DatasetBuckets</c> (<see cref="LshBucket"/>), the same for both dataset
/// stores so the check never pages through Langfuse. A check is one point read per band whatever the dataset's size;
/// the items found in those buckets are confirmed by exact Jaccard of their word sets, which the buckets carry.
/// Claiming joins the item to its buckets band by band, in band order, by inserts that fail on conflict and
/// ETag-guarded replaces: of two near-identical inputs racing, the first to write the lowest band they share wins
/// and the other sees it there, so one item is added.
/// </summary>
public sealed partial class NearDuplicateIndex(TableServiceClient tables, IDatasetStore items, TimeProvider time, ILogger<NearDuplicateIndex> logger)
{
    /// <summary>
    /// How long a claim is trusted without reading its item: the item is written after its buckets are claimed, so a
    /// younger claim may be an evaluation still at work. An older one whose item is gone is stale and taken over.
    /// </summary>
    public static readonly TimeSpan ClaimGrace = TimeSpan.FromHours(1);

    private readonly TableStore<TableEntity> _buckets = new(tables.GetTableClient(StorageNames.Tables.DatasetBuckets));
    private readonly LegacyFingerprints _legacy = new(tables);
    private readonly IDatasetStore _items = items;
    private readonly TimeProvider _time = time;

    /// <summary>
    /// Checks <paramref name="input"/> against the dataset and, when nothing live is at least <paramref name="threshold"/>
    /// similar, claims its buckets for <paramref name="itemId"/> (the caller then writes the item). Returns the id of the
    /// similar item instead, having claimed nothing. The item's own earlier claims (a redelivered evaluation) are not duplicates.
    /// </summary>
    public async Task<string?> ClaimAsync(string datasetName, string itemId, string input, double threshold, CancellationToken cancellationToken)
    {
        var partition = DatasetKeys.Of(datasetName);
        await _legacy.MigrateOnceAsync(datasetName, (legacy, ct) => JoinAllAsync(partition, legacy, ct), cancellationToken).ConfigureAwait(false);
        var words = MinHash.WordHashesOf(input);
        var me = new BucketMember(itemId, _time.GetUtcNow(), words);
        var rowKeys = MinHash.BandKeysOf(words).Select((key, band) => LshBucket.RowKeyOf(band, key)).ToArray();
        var rows = await Task.WhenAll(rowKeys.Select(rowKey => _buckets.FindAsync(partition, rowKey, cancellationToken))).ConfigureAwait(false);
        var check = new Confirmation(this, datasetName, me, threshold);
        if (await check.FindLiveSimilarAsync(rows.SelectMany(LshBucket.MembersOf), cancellationToken).ConfigureAwait(false) is { } similar)
        {
            return similar;
        }

        var joined = new List<string>();
        for (var band = 0; band < rowKeys.Length; band++)
        {
            if (await JoinAsync(partition, rowKeys[band], rows[band], me, check, cancellationToken).ConfigureAwait(false) is { } raced)
            {
                await ReleaseAsync(partition, joined, itemId, cancellationToken).ConfigureAwait(false);
                return raced.ItemId;
            }

            joined.Add(rowKeys[band]);
        }

        return null;
    }

    // Joins one bucket, or answers the live similar item that got into it first.
    private async Task<BucketMember?> JoinAsync(string partition, string rowKey, TableEntity? row, BucketMember me, Confirmation? check, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                if (row is null)
                {
                    await _buckets.AddAsync(LshBucket.RowOf(partition, rowKey, [me]), cancellationToken).ConfigureAwait(false);
                    return null;
                }

                var members = LshBucket.MembersOf(row);
                if (members.Any(m => m.ItemId == me.ItemId))
                {
                    return null;
                }

                if (check is not null && await check.FindLiveSimilarAsync(members, cancellationToken).ConfigureAwait(false) is { } similar)
                {
                    return members.First(m => m.ItemId == similar);
                }

                var kept = members.Where(m => check?.IsStale(m.ItemId) != true).ToList();
                if (kept.Count >= LshBucket.MaxMembers)
                {
                    // A full bucket only costs this band: a true near duplicate shares several of the 32 bands.
                    return null;
                }

                await _buckets.ReplaceAsync(LshBucket.RowOf(partition, rowKey, [.. kept, me]), row.ETag, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (Exception ex) when (ex is ResourceConflictException or PreconditionFailedException or ResourceNotFoundException)
            {
                row = await _buckets.FindAsync(partition, rowKey, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Items collected before the buckets existed: joined without a check, as the old index had already checked them.
    private async Task JoinAllAsync(string partition, BucketMember legacy, CancellationToken cancellationToken)
    {
        foreach (var key in MinHash.BandKeysOf(legacy.Words).Select((key, band) => LshBucket.RowKeyOf(band, key)))
        {
            var row = await _buckets.FindAsync(partition, key, cancellationToken).ConfigureAwait(false);
            await JoinAsync(partition, key, row, legacy, check: null, cancellationToken).ConfigureAwait(false);
        }
    }

    // Leaves the buckets joined before losing a race, so they do not point at an item that will not be written.
    private async Task ReleaseAsync(string partition, IEnumerable<string> rowKeys, string itemId, CancellationToken cancellationToken)
    {
        foreach (var rowKey in rowKeys)
        {
            while (await _buckets.FindAsync(partition, rowKey, cancellationToken).ConfigureAwait(false) is { } row)
            {
                var rest = LshBucket.MembersOf(row).Where(m => m.ItemId != itemId).ToList();
                try
                {
                    if (rest.Count == 0)
                    {
                        await _buckets.DeleteAsync(partition, rowKey, row.ETag, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await _buckets.ReplaceAsync(LshBucket.RowOf(partition, rowKey, rest), row.ETag, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                }
                catch (Exception ex) when (ex is PreconditionFailedException or ResourceNotFoundException)
                {
                    // Changed or gone since the read: read again.
                }
            }
        }
    }

    /// <summary>
    /// One claim's view of the items its buckets name: similar ones (exact Jaccard at or above the threshold) are live
    /// when their claim is younger than <see cref="ClaimGrace"/> or their item still exists; the others are stale.
    /// Each item is judged once per claim.
    /// </summary>
    private sealed class Confirmation(NearDuplicateIndex index, string datasetName, BucketMember me, double threshold)
    {
        private readonly Dictionary<string, bool> _live = new(StringComparer.Ordinal);

        public bool IsStale(string itemId) => _live.TryGetValue(itemId, out var live) && !live;

        public async Task<string?> FindLiveSimilarAsync(IEnumerable<BucketMember> members, CancellationToken cancellationToken)
        {
            var similar = members
                .Where(m => m.ItemId != me.ItemId)
                .DistinctBy(m => m.ItemId, StringComparer.Ordinal)
                .Select(m => (Member: m, Similarity: me.SimilarityTo(m)))
                .Where(c => c.Similarity >= threshold)
                .OrderByDescending(c => c.Similarity)
                .ThenBy(c => c.Member.ItemId, StringComparer.Ordinal);
            foreach (var (member, _) in similar)
            {
                if (!_live.TryGetValue(member.ItemId, out var live))
                {
                    live = index._time.GetUtcNow() - member.ClaimedAt < ClaimGrace
                        || await index._items.ItemExistsAsync(datasetName, member.ItemId, cancellationToken).ConfigureAwait(false);
                    _live[member.ItemId] = live;
                    if (!live)
                    {
                        index.LogStale(member.ItemId, datasetName);
                    }
                }

                if (live)
                {
                    return member.ItemId;
                }
            }

            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Item {ItemId} of dataset {Dataset} is gone: its near-duplicate buckets are taken over")]
    private partial void LogStale(string itemId, string dataset);
}
