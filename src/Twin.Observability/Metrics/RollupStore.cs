using Azure.Data.Tables;
using Twin.Observability.Storage;

namespace Twin.Observability.Metrics;

/// <summary>
/// The rollup tables (<see cref="RollupKeys"/>): for each minute, hour and day with traffic, one row per dimension
/// set, one per twin and one in total.
/// </summary>
public sealed class RollupStore(TableServiceClient tables)
{
    private readonly Dictionary<(RollupGranularity, RollupScope), TableStore<TableEntity>> _stores =
        (from granularity in Enum.GetValues<RollupGranularity>() from scope in Enum.GetValues<RollupScope>() select (granularity, scope))
            .ToDictionary(k => k, k => new TableStore<TableEntity>(tables.GetTableClient(RollupKeys.Table(k.granularity, k.scope))));

    /// <summary>Entities this store has returned to readers since it was created (what a query cost).</summary>
    public long EntitiesRead => Interlocked.Read(ref _entitiesRead);

    private long _entitiesRead;

    /// <summary>
    /// Writes a unit's three views from its per-dimension aggregates. Totals are merged in the order of the detail
    /// rows' keys, so the same details always give the same rows; they count users' traffic only
    /// (<see cref="MetricEnvironments"/>).
    /// </summary>
    public Task WriteUnitAsync(RollupGranularity granularity, DateTimeOffset start, IReadOnlyDictionary<MetricDimensions, MetricAggregate> details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(details);
        var ordered = details.Select(d => (Key: RollupKeys.DetailRow(d.Key), Dimensions: d.Key, Aggregate: d.Value)).OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
        var total = new MetricAggregate();
        var twins = new SortedDictionary<string, MetricAggregate>(StringComparer.Ordinal);
        var entities = new List<TableEntity>(ordered.Count);
        var detailPartition = RollupKeys.Partition(granularity, RollupScope.Detail, start);
        foreach (var (key, dimensions, aggregate) in ordered)
        {
            entities.Add(RollupRowCodec.ToEntity(detailPartition, key, start, dimensions, aggregate));
            if (!MetricEnvironments.IsUserTraffic(dimensions.Environment))
            {
                continue;
            }

            total.Merge(aggregate);
            if (!twins.TryGetValue(dimensions.Twin, out var twin))
            {
                twins[dimensions.Twin] = twin = new MetricAggregate();
            }

            twin.Merge(aggregate);
        }

        if (ordered.Count == 0)
        {
            return Task.CompletedTask;
        }

        var twinPartition = RollupKeys.Partition(granularity, RollupScope.Twin, start);
        var twinEntities = new List<TableEntity>(twins.Count);
        foreach (var (twinId, aggregate) in twins)
        {
            var entity = RollupRowCodec.ToEntity(twinPartition, RollupKeys.TwinRow(twinId), start, null, aggregate);
            entity["Twin"] = twinId;
            twinEntities.Add(entity);
        }

        var all = RollupRowCodec.ToEntity(RollupKeys.Partition(granularity, RollupScope.All, start), RollupKeys.AllRow, start, null, total);
        return Task.WhenAll(
            _stores[(granularity, RollupScope.Detail)].UpsertManyAsync(entities, cancellationToken),
            _stores[(granularity, RollupScope.Twin)].UpsertManyAsync(twinEntities, cancellationToken),
            _stores[(granularity, RollupScope.All)].UpsertManyAsync([all], cancellationToken));
    }

    /// <summary>
    /// The rows of one view for the units starting in [<paramref name="first"/>, <paramref name="last"/>]: the total
    /// (<paramref name="twinId"/> null) or one twin's.
    /// </summary>
    public async IAsyncEnumerable<(DateTimeOffset Start, MetricAggregate Aggregate)> ReadTotalsAsync(
        RollupGranularity granularity,
        string? twinId,
        DateTimeOffset first,
        DateTimeOffset last,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scope = twinId is null ? RollupScope.All : RollupScope.Twin;
        var row = twinId is null ? RollupKeys.AllRow : RollupKeys.TwinRow(twinId);
        var from = RollupKeys.Partition(granularity, scope, first);
        var to = RollupKeys.Partition(granularity, scope, last);
        await foreach (var entity in _stores[(granularity, scope)].QueryAllAsync($"PartitionKey ge {from} and PartitionKey le {to} and RowKey eq {row}", cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _entitiesRead);
            yield return (RollupKeys.StartOf(granularity, entity.PartitionKey), RollupRowCodec.AggregateOf(entity));
        }
    }

    /// <summary>Every per-dimension row of the units starting in [<paramref name="first"/>, <paramref name="last"/>], in key order.</summary>
    public async IAsyncEnumerable<(DateTimeOffset Start, MetricDimensions Dimensions, MetricAggregate Aggregate)> ReadDetailsAsync(
        RollupGranularity granularity,
        DateTimeOffset first,
        DateTimeOffset last,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = RollupKeys.Partition(granularity, RollupScope.Detail, first);
        var to = RollupKeys.Partition(granularity, RollupScope.Detail, last);
        await foreach (var entity in _stores[(granularity, RollupScope.Detail)].QueryAllAsync($"PartitionKey ge {from} and PartitionKey le {to}", cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _entitiesRead);
            yield return (RollupKeys.StartOf(granularity, entity.PartitionKey), RollupRowCodec.DimensionsOf(entity), RollupRowCodec.AggregateOf(entity));
        }
    }
}
