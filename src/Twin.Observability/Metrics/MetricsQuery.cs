using Twin.Observability.Ledger;

namespace Twin.Observability.Metrics;

/// <summary>
/// Answers a metrics range from rollups and the ledger: before the watermark, each bucket is covered by whole days,
/// then whole hours, then minutes at its edges (so a 30-day range reads tens of rows, not millions); after it, the
/// raw ledger rows are added one by one, so a chat counts the moment its row is written. Users' traffic only: the
/// app's own synthetic and regression chats are left out (<see cref="MetricEnvironments"/>).
/// </summary>
public sealed class MetricsQuery(RollupStore rollups, RollupWatermarkStore watermarks, LedgerStore ledger)
{
    public async Task<MetricsSlice> QueryAsync(MetricsRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var starts = range.BucketStarts();
        var buckets = starts.Select(s => new MetricsBucket(s, new MetricAggregate())).ToList();
        var watermark = (await watermarks.GetAsync(cancellationToken).ConfigureAwait(false))?.Done;
        var rolledUpTo = watermark is { } w && w > range.From ? (w < range.To ? w : range.To) : range.From;

        long rollupRows = 0;
        foreach (var run in Runs(Cover(buckets, range.To, rolledUpTo)))
        {
            await foreach (var (start, aggregate) in rollups.ReadTotalsAsync(run.Granularity, range.TwinId, run.First, run.Last, cancellationToken).ConfigureAwait(false))
            {
                rollupRows++;
                if (run.Buckets.TryGetValue(start, out var bucket))
                {
                    buckets[bucket].Aggregate.Merge(aggregate);
                }
            }
        }

        long ledgerRows = 0;
        if (rolledUpTo < range.To)
        {
            await foreach (var entity in ledger.RowsBetweenAsync(rolledUpTo, range.To, range.TwinId, cancellationToken).ConfigureAwait(false))
            {
                ledgerRows++;
                var row = LedgerRows.ToEntry(entity);
                if (MetricEnvironments.IsUserTraffic(row.Environment))
                {
                    buckets[BucketOf(starts, row.Timestamp)].Aggregate.Add(row);
                }
            }
        }

        var total = new MetricAggregate();
        foreach (var bucket in buckets)
        {
            total.Merge(bucket.Aggregate);
        }

        return new MetricsSlice(range, buckets, total, new MetricsSource(rollupRows, ledgerRows, watermark));
    }

    /// <summary>
    /// The range's aggregates grouped by a key of their dimensions (model, twin, …), read from the per-dimension
    /// rollup rows before the watermark and the ledger after it. <paramref name="groupOf"/> returning null leaves a
    /// row out.
    /// </summary>
    public async Task<(SortedDictionary<string, MetricAggregate> Groups, MetricsSource Source)> QueryGroupsAsync(
        MetricsRange range,
        Func<MetricDimensions, string?> groupOf,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(groupOf);
        var groups = new SortedDictionary<string, MetricAggregate>(StringComparer.Ordinal);
        void Add(MetricDimensions dimensions, Action<MetricAggregate> add)
        {
            if ((range.TwinId is null || dimensions.Twin == range.TwinId) && MetricEnvironments.IsUserTraffic(dimensions.Environment) && groupOf(dimensions) is { } key)
            {
                if (!groups.TryGetValue(key, out var aggregate))
                {
                    groups[key] = aggregate = new MetricAggregate();
                }

                add(aggregate);
            }
        }

        var watermark = (await watermarks.GetAsync(cancellationToken).ConfigureAwait(false))?.Done;
        var rolledUpTo = watermark is { } w && w > range.From ? (w < range.To ? w : range.To) : range.From;
        long rollupRows = 0;
        foreach (var run in Runs(Cover([new MetricsBucket(range.From, new MetricAggregate())], range.To, rolledUpTo)))
        {
            await foreach (var (_, dimensions, aggregate) in rollups.ReadDetailsAsync(run.Granularity, run.First, run.Last, cancellationToken).ConfigureAwait(false))
            {
                rollupRows++;
                Add(dimensions, a => a.Merge(aggregate));
            }
        }

        long ledgerRows = 0;
        if (rolledUpTo < range.To)
        {
            await foreach (var entity in ledger.RowsBetweenAsync(rolledUpTo, range.To, range.TwinId, cancellationToken).ConfigureAwait(false))
            {
                ledgerRows++;
                var row = LedgerRows.ToEntry(entity);
                Add(MetricsRollup.DimensionsOf(row), a => a.Add(row));
            }
        }

        return (groups, new MetricsSource(rollupRows, ledgerRows, watermark));
    }

    /// <summary>
    /// The rollup units that tile each bucket's part before <paramref name="rolledUpTo"/>: a day where a whole day
    /// fits, else an hour where a whole hour fits, else a minute.
    /// </summary>
    public static IEnumerable<(RollupGranularity Granularity, DateTimeOffset Start, int Bucket)> Cover(IReadOnlyList<MetricsBucket> buckets, DateTimeOffset to, DateTimeOffset rolledUpTo)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        for (var i = 0; i < buckets.Count; i++)
        {
            var end = i + 1 < buckets.Count ? buckets[i + 1].Start : to;
            if (end > rolledUpTo)
            {
                end = rolledUpTo;
            }

            for (var t = buckets[i].Start; t < end;)
            {
                var unit = Fits(RollupGranularity.Day, t, end) ? RollupGranularity.Day : Fits(RollupGranularity.Hour, t, end) ? RollupGranularity.Hour : RollupGranularity.Minute;
                yield return (unit, t, i);
                t += unit.Length();
            }
        }
    }

    private static bool Fits(RollupGranularity unit, DateTimeOffset start, DateTimeOffset end) =>
        unit.IsAligned(start) && start + unit.Length() <= end;

    // Units of one granularity that follow each other become one range query.
    private static IEnumerable<Run> Runs(IEnumerable<(RollupGranularity Granularity, DateTimeOffset Start, int Bucket)> units)
    {
        foreach (var group in units.GroupBy(u => u.Granularity))
        {
            Run? run = null;
            foreach (var (granularity, start, bucket) in group.OrderBy(u => u.Start))
            {
                if (run is not null && run.Last + granularity.Length() == start)
                {
                    run.Last = start;
                }
                else
                {
                    if (run is not null)
                    {
                        yield return run;
                    }

                    run = new Run(granularity, start) { Last = start };
                }

                run.Buckets[start] = bucket;
            }

            if (run is not null)
            {
                yield return run;
            }
        }
    }

    private static int BucketOf(IReadOnlyList<DateTimeOffset> starts, DateTimeOffset at)
    {
        var low = 0;
        var high = starts.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (starts[middle] <= at)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    private sealed class Run(RollupGranularity granularity, DateTimeOffset first)
    {
        public RollupGranularity Granularity { get; } = granularity;

        public DateTimeOffset First { get; } = first;

        public DateTimeOffset Last { get; set; }

        public Dictionary<DateTimeOffset, int> Buckets { get; } = [];
    }
}
