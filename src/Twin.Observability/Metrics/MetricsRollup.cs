using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Ledger;

namespace Twin.Observability.Metrics;

/// <summary>
/// Rolls the ledger up into minutes, hours and days (the <c>RollupMetrics</c> timer runs it every minute). Each run
/// closes the minutes that have settled since the watermark, reading only those minutes' ledger rows, so the work is
/// proportional to new rows; an hour or day is merged from its minutes or hours when it closes. Then it recomputes
/// the minutes that late scores marked dirty, and the closed hours and days around them. Rolling up a unit is a pure
/// function of its rows, so doing it twice changes nothing; a blob lease keeps runs from overlapping.
/// </summary>
public sealed partial class MetricsRollup(
    LedgerStore ledger,
    RollupStore rollups,
    RollupWatermarkStore watermarks,
    DirtyMinuteStore dirtyMinutes,
    RollupLease lease,
    IOptions<MetricsOptions> options,
    TimeProvider time,
    ILogger<MetricsRollup> logger)
{
    /// <summary>Runs once; returns what it did, or null when another run holds the lease.</summary>
    public async Task<RollupRunResult?> RunAsync(CancellationToken cancellationToken)
    {
        await using var held = await lease.TryAcquireAsync(cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            LogLeaseHeld();
            return null;
        }

        var settings = options.Value;
        var started = time.GetTimestamp();
        var target = RollupGranularity.Minute.Floor(time.GetUtcNow() - TimeSpan.FromSeconds(settings.SettleSeconds));
        var watermark = await StartAsync(target, cancellationToken).ConfigureAwait(false);
        if (watermark is null)
        {
            return null;
        }

        long rows = 0;
        var minutes = 0;
        while (watermark.Done < target && time.GetElapsedTime(started) < TimeSpan.FromSeconds(settings.RunBudgetSeconds))
        {
            var end = Min(watermark.Done + TimeSpan.FromMinutes(settings.BatchMinutes), target);
            // Claim first: a score recorded from now on for these minutes marks them dirty, whatever this run reads.
            watermark = await watermarks.UpdateAsync(watermark, watermark.Done, end, cancellationToken).ConfigureAwait(false);
            var (batchRows, batchMinutes) = await RollUpAsync(watermark.Done, end, cancellationToken).ConfigureAwait(false);
            rows += batchRows;
            minutes += batchMinutes;
            watermark = await watermarks.UpdateAsync(watermark, end, end, cancellationToken).ConfigureAwait(false);
            await held.RenewAsync(cancellationToken).ConfigureAwait(false);
        }

        var recomputed = await RecomputeDirtyAsync(watermark.Done, cancellationToken).ConfigureAwait(false);
        var result = new RollupRunResult(watermark.Done, rows, minutes, recomputed);
        if (rows > 0 || recomputed > 0)
        {
            LogRun(result.RolledUpTo, result.LedgerRows, result.Minutes, result.DirtyMinutes);
        }

        return result;
    }

    // The first run starts at the ledger's first row, so nothing written before metrics existed is left out.
    private async Task<RollupWatermark?> StartAsync(DateTimeOffset target, CancellationToken cancellationToken)
    {
        if (await watermarks.GetAsync(cancellationToken).ConfigureAwait(false) is { } existing)
        {
            // A run that died after claiming left minutes claimed but not done: they are rolled up again from Done.
            return existing;
        }

        var earliest = await ledger.EarliestHourAsync(cancellationToken).ConfigureAwait(false);
        var start = earliest is { } first ? Min(first, target) : target;
        try
        {
            return await watermarks.CreateAsync(start, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceConflictException)
        {
            return await watermarks.GetAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(long Rows, int Minutes)> RollUpAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var byMinute = new SortedDictionary<DateTimeOffset, List<LedgerEntry>>();
        long rows = 0;
        await foreach (var entity in ledger.RowsBetweenAsync(from, to, null, cancellationToken).ConfigureAwait(false))
        {
            var row = LedgerRows.ToEntry(entity);
            var minute = RollupGranularity.Minute.Floor(row.Timestamp);
            if (!byMinute.TryGetValue(minute, out var list))
            {
                byMinute[minute] = list = [];
            }

            list.Add(row);
            rows++;
        }

        var minutes = byMinute.ToDictionary(m => m.Key, m => Aggregate(m.Value));
        await Parallel.ForEachAsync(
            minutes,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.WriteConcurrency, CancellationToken = cancellationToken },
            (minute, token) => new ValueTask(rollups.WriteUnitAsync(RollupGranularity.Minute, minute.Key, minute.Value, token))).ConfigureAwait(false);

        // Hours and days that closed inside the batch (their end in (from, to]). An hour wholly inside the batch is
        // merged from the minutes in memory, in the order a read-back would give (minute, then row key), so the rows
        // are the same; reading its minutes back would cost a catch-up a scan per hour on Azurite.
        for (var hour = RollupGranularity.Hour.Floor(from); hour + TimeSpan.FromHours(1) <= to; hour += TimeSpan.FromHours(1))
        {
            if (hour >= from)
            {
                await rollups.WriteUnitAsync(RollupGranularity.Hour, hour, MergeMinutes(minutes, hour), cancellationToken).ConfigureAwait(false);
            }
            else if (hour + TimeSpan.FromHours(1) > from)
            {
                await MergeAsync(RollupGranularity.Hour, hour, cancellationToken).ConfigureAwait(false);
            }
        }

        for (var day = RollupGranularity.Day.Floor(from); day + TimeSpan.FromDays(1) <= to; day += TimeSpan.FromDays(1))
        {
            if (day + TimeSpan.FromDays(1) > from)
            {
                await MergeAsync(RollupGranularity.Day, day, cancellationToken).ConfigureAwait(false);
            }
        }

        return (rows, byMinute.Count);
    }

    private async Task<int> RecomputeDirtyAsync(DateTimeOffset done, CancellationToken cancellationToken)
    {
        var marks = (await dirtyMinutes.ListAsync(options.Value.MaxDirtyMinutesPerRun, cancellationToken).ConfigureAwait(false))
            .Where(m => m.Minute < done)
            .ToList();
        var hours = new SortedSet<DateTimeOffset>();
        var days = new SortedSet<DateTimeOffset>();
        foreach (var (minute, _) in marks)
        {
            var rows = new List<LedgerEntry>();
            await foreach (var entity in ledger.RowsBetweenAsync(minute, minute + TimeSpan.FromMinutes(1), null, cancellationToken).ConfigureAwait(false))
            {
                rows.Add(LedgerRows.ToEntry(entity));
            }

            await rollups.WriteUnitAsync(RollupGranularity.Minute, minute, Aggregate(rows), cancellationToken).ConfigureAwait(false);
            var hour = RollupGranularity.Hour.Floor(minute);
            if (hour + TimeSpan.FromHours(1) <= done)
            {
                hours.Add(hour);
            }

            var day = RollupGranularity.Day.Floor(minute);
            if (day + TimeSpan.FromDays(1) <= done)
            {
                days.Add(day);
            }
        }

        foreach (var hour in hours)
        {
            await MergeAsync(RollupGranularity.Hour, hour, cancellationToken).ConfigureAwait(false);
        }

        foreach (var day in days)
        {
            await MergeAsync(RollupGranularity.Day, day, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (minute, etag) in marks)
        {
            await dirtyMinutes.ClearAsync(minute, etag, cancellationToken).ConfigureAwait(false);
        }

        return marks.Count;
    }

    // An hour from its minutes' detail rows, a day from its hours'; rows come back in key order, so the merge order is fixed.
    private async Task MergeAsync(RollupGranularity granularity, DateTimeOffset start, CancellationToken cancellationToken)
    {
        var (finer, count) = granularity == RollupGranularity.Hour ? (RollupGranularity.Minute, 60) : (RollupGranularity.Hour, 24);
        var details = new Dictionary<MetricDimensions, MetricAggregate>();
        var last = start + (finer.Length() * (count - 1));
        await foreach (var (_, dimensions, aggregate) in rollups.ReadDetailsAsync(finer, start, last, cancellationToken).ConfigureAwait(false))
        {
            if (!details.TryGetValue(dimensions, out var merged))
            {
                details[dimensions] = merged = new MetricAggregate();
            }

            merged.Merge(aggregate);
        }

        await rollups.WriteUnitAsync(granularity, start, details, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<MetricDimensions, MetricAggregate> MergeMinutes(Dictionary<DateTimeOffset, Dictionary<MetricDimensions, MetricAggregate>> minutes, DateTimeOffset hour)
    {
        var details = new Dictionary<MetricDimensions, MetricAggregate>();
        foreach (var (_, units) in minutes.Where(m => m.Key >= hour && m.Key < hour + TimeSpan.FromHours(1)).OrderBy(m => m.Key))
        {
            foreach (var (dimensions, aggregate) in units.OrderBy(u => RollupKeys.DetailRow(u.Key), StringComparer.Ordinal))
            {
                if (!details.TryGetValue(dimensions, out var merged))
                {
                    details[dimensions] = merged = new MetricAggregate();
                }

                merged.Merge(aggregate);
            }
        }

        return details;
    }

    /// <summary>Ledger rows by dimension set, added in row-key order so the same rows always give the same aggregates.</summary>
    public static Dictionary<MetricDimensions, MetricAggregate> Aggregate(IEnumerable<LedgerEntry> rows)
    {
        var details = new Dictionary<MetricDimensions, MetricAggregate>();
        foreach (var row in rows.OrderBy(r => r.Timestamp).ThenBy(r => r.TraceId, StringComparer.Ordinal).ThenBy(r => r.ObservationId, StringComparer.Ordinal))
        {
            var dimensions = DimensionsOf(row);
            if (!details.TryGetValue(dimensions, out var aggregate))
            {
                details[dimensions] = aggregate = new MetricAggregate();
            }

            aggregate.Add(row);
        }

        return details;
    }

    public static MetricDimensions DimensionsOf(LedgerEntry row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new MetricDimensions(row.TwinId, row.Endpoint, row.Model ?? "", row.Environment, MetricDimensions.PromptOf(row.PromptName, row.PromptVersion), row.Experiment ?? "", row.Variant ?? "");
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Metrics rollup skipped: another run holds the lease")]
    private partial void LogLeaseHeld();

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics rolled up to {RolledUpTo:u}: {LedgerRows} ledger rows in {Minutes} minutes, {DirtyMinutes} dirty minutes recomputed")]
    private partial void LogRun(DateTimeOffset rolledUpTo, long ledgerRows, int minutes, int dirtyMinutes);
}

/// <summary>What one rollup run did.</summary>
public sealed record RollupRunResult(DateTimeOffset RolledUpTo, long LedgerRows, int Minutes, int DirtyMinutes);
