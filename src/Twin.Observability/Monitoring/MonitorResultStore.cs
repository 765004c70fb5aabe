using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Polly;
using Polly.Retry;
using Twin.Observability.Common;
using Twin.Observability.Metrics;
using Twin.Observability.Storage;

namespace Twin.Observability.Monitoring;

/// <summary>
/// Check results, written three ways by <see cref="AddAsync"/> so each reader touches only the rows it needs:
/// <list type="bullet">
/// <item><b>By check</b>, in <c>MonitorResults</c>: partition = check id, row = the time inverted in ticks plus a
/// random suffix, so a partition in key order is the check's history newest first and "since" is a key range.</item>
/// <item><b>By hour</b>, also in <c>MonitorResults</c>: partition <c>t-yyyyMMddHH</c> (UTC hour), row = the time in
/// ticks (ascending) plus the same suffix, holding only CheckId, TwinId and Ok. The failure-rate alert asks "how many
/// runs, of all checks or of one twin, in the last N minutes"; by-check partitions would mean one query per check, the
/// hour partitions make it one key-range scan over at most N/60 + 1 small partitions. They share the table because a
/// check id is a generated hex GUID, which never starts with <c>t-</c>; a second table would be one more thing to
/// create and clean. Even a check id that fell inside the scanned partition range could not be miscounted: its rows
/// are inverted ticks (about 25×10^17 today), far from the ascending ticks (about 6×10^17) the scan's row range
/// asks for.</item>
/// <item><b>By day</b>, in <c>MonitorDays</c>: partition = check id, row = <c>yyyyMMdd</c> (UTC): runs, failures,
/// the twin and a <see cref="LatencySketch"/> of the day's latencies, merged in with optimistic concurrency (read,
/// add, replace if the ETag still matches, else read again), so 30-day uptime reads at most 31 rows, not 43,200
/// results.</item>
/// </list>
/// The three writes are not one transaction (the rows live in different partitions): a crash between them leaves a
/// result that the hour index or the day counter misses, an error of one run in thousands that the next day heals.
/// </summary>
public sealed class MonitorResultStore(TableServiceClient tables)
{
    /// <summary>Reads of the day row before giving up when other writers keep winning the race.</summary>
    public const int MaxDayAttempts = 10;

    /// <summary>Failure lines kept per result, and characters per line: a result row must stay under the 1 MB entity and 64 KB property limits whatever a runner writes.</summary>
    public const int MaxFailures = 20;
    public const int MaxFailureLength = 1_000;

    private const string HourPrefix = "t-";

    // Jitter spreads writers that lost the same race, so they do not collide again in lock step.
    private static readonly ResiliencePipeline DayRace = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<PreconditionFailedException>().Handle<ResourceConflictException>(),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(10),
            MaxDelay = TimeSpan.FromMilliseconds(500),
            MaxRetryAttempts = MaxDayAttempts - 1,
        })
        .Build();

    private readonly TableStore<TableEntity> _results = new(tables.GetTableClient(StorageNames.Tables.MonitorResults));
    private readonly TableStore<TableEntity> _days = new(tables.GetTableClient(StorageNames.Tables.MonitorDays));

    /// <summary>Stores one run: its result row, its hour-index row, and its share of the day's counters.</summary>
    public async Task AddAsync(MonitorResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        TableKeys.Validate(result.CheckId, "checkId");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await _results.AddAsync(ResultEntity(result, suffix), cancellationToken).ConfigureAwait(false);
        await _results.AddAsync(HourEntity(result, suffix), cancellationToken).ConfigureAwait(false);
        await AddToDayAsync(result, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest <paramref name="limit"/> results of a check, newest first.</summary>
    public async Task<IReadOnlyList<MonitorResult>> LatestAsync(string checkId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var results = new List<MonitorResult>();
        if (!TableKeys.IsValid(checkId))
        {
            return results;
        }

        // Pages, not QueryAllAsync: that asks for 1,000 rows a page, far more than a status needs.
        string? token = null;
        do
        {
            var page = await _results.QueryPageAsync($"PartitionKey eq {checkId}", new PageRequest(limit - results.Count, token), cancellationToken).ConfigureAwait(false);
            results.AddRange(page.Items.Select(ResultOf));
            token = page.ContinuationToken;
        }
        while (token is not null && results.Count < limit);

        return results;
    }

    /// <summary>A check's results at or after <paramref name="from"/>, newest first.</summary>
    public async Task<IReadOnlyList<MonitorResult>> SinceAsync(string checkId, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var results = new List<MonitorResult>();
        if (!TableKeys.IsValid(checkId))
        {
            return results;
        }

        // '~' sorts after the '-' of every suffix: rows of the instant `from` itself are included.
        var last = Inverted(from) + "~";
        await foreach (var entity in _results.QueryAllAsync($"PartitionKey eq {checkId} and RowKey lt {last}", cancellationToken).ConfigureAwait(false))
        {
            results.Add(ResultOf(entity));
        }

        return results;
    }

    /// <summary>
    /// Runs and failed runs in [<paramref name="from"/>, <paramref name="to"/>) over every check, or only the runs
    /// whose result carries <paramref name="twinId"/>; reads the hour index, so meant for windows of minutes to hours.
    /// </summary>
    public async Task<(long Runs, long Failures)> CountsAsync(string? twinId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (to <= from)
        {
            return (0, 0);
        }

        var firstPartition = HourPartition(from);
        var lastPartition = HourPartition(to.AddTicks(-1));
        var firstRow = Ticks(from);
        var lastRow = Ticks(to);
        var filter = twinId is null
            ? (FormattableString)$"PartitionKey ge {firstPartition} and PartitionKey le {lastPartition} and RowKey ge {firstRow} and RowKey lt {lastRow}"
            : $"PartitionKey ge {firstPartition} and PartitionKey le {lastPartition} and RowKey ge {firstRow} and RowKey lt {lastRow} and TwinId eq {twinId}";
        long runs = 0, failures = 0;
        await foreach (var entity in _results.QueryAllAsync(filter, cancellationToken).ConfigureAwait(false))
        {
            runs++;
            if (entity.GetBoolean("Ok") != true)
            {
                failures++;
            }
        }

        return (runs, failures);
    }

    /// <summary>A check's day rows from <paramref name="first"/> to <paramref name="last"/> (UTC days, both included), oldest first.</summary>
    public async Task<IReadOnlyList<MonitorDay>> DaysAsync(string checkId, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var days = new List<MonitorDay>();
        if (!TableKeys.IsValid(checkId))
        {
            return days;
        }

        var firstRow = DayRow(first);
        var lastRow = DayRow(last);
        await foreach (var entity in _days.QueryAllAsync($"PartitionKey eq {checkId} and RowKey ge {firstRow} and RowKey le {lastRow}", cancellationToken).ConfigureAwait(false))
        {
            days.Add(DayOf(entity));
        }

        return days;
    }

    // Read, merge, write back only if nobody wrote in between; on a lost race read again. Two runs of one check
    // rarely overlap (a check runs once per interval), so the loop is for the odd overlap and for manual runs.
    private Task AddToDayAsync(MonitorResult result, CancellationToken cancellationToken) =>
        DayRace.ExecuteAsync(async ct =>
        {
            var day = DateOnly.FromDateTime(result.At.UtcDateTime);
            var entity = await _days.FindAsync(result.CheckId, DayRow(day), ct).ConfigureAwait(false);
            var current = entity is null
                ? new MonitorDay(result.CheckId, day, result.TwinId, 0, 0, new LatencySketch())
                : DayOf(entity);
            // The sketch refuses negative values (a clock step backwards) and absurd ones; clamped rather than lost.
            current.Latency.Add(Math.Clamp(result.LatencyMs, 0, (long)LatencySketch.MaxValue));
            var updated = DayEntity(current with
            {
                TwinId = result.TwinId ?? current.TwinId,
                Runs = current.Runs + 1,
                Failures = current.Failures + (result.Ok ? 0 : 1),
            });
            if (entity is null)
            {
                await _days.AddAsync(updated, ct).ConfigureAwait(false);
            }
            else
            {
                await _days.ReplaceAsync(updated, entity.ETag, ct).ConfigureAwait(false);
            }
        }, cancellationToken).AsTask();

    internal static string Inverted(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    private static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    private static string HourPartition(DateTimeOffset at) => HourPrefix + at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    private static string DayRow(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static TableEntity ResultEntity(MonitorResult result, string suffix) => new(result.CheckId, Inverted(result.At) + "-" + suffix)
    {
        ["CheckId"] = result.CheckId,
        ["TwinId"] = result.TwinId,
        ["At"] = result.At,
        ["Ok"] = result.Ok,
        ["Status"] = result.Status,
        ["LatencyMs"] = result.LatencyMs,
        ["Score"] = result.Score,
        ["TraceId"] = result.TraceId,
        ["Failures"] = JsonSerializer.Serialize(result.Failures.Take(MaxFailures).Select(f => f.Length > MaxFailureLength ? f[..MaxFailureLength] : f)),
    };

    private static TableEntity HourEntity(MonitorResult result, string suffix) => new(HourPartition(result.At), Ticks(result.At) + "-" + suffix)
    {
        ["CheckId"] = result.CheckId,
        ["TwinId"] = result.TwinId,
        ["Ok"] = result.Ok,
    };

    private static MonitorResult ResultOf(TableEntity entity) => new()
    {
        CheckId = entity.GetString("CheckId") ?? entity.PartitionKey,
        TwinId = entity.GetString("TwinId"),
        At = entity.GetDateTimeOffset("At") ?? default,
        Ok = entity.GetBoolean("Ok") ?? false,
        Status = entity.GetInt32("Status"),
        LatencyMs = entity.GetInt64("LatencyMs") ?? 0,
        Score = entity.GetDouble("Score"),
        TraceId = entity.GetString("TraceId"),
        Failures = JsonSerializer.Deserialize<List<string>>(entity.GetString("Failures") ?? "[]") ?? [],
    };

    private static TableEntity DayEntity(MonitorDay day) => new(day.CheckId, DayRow(day.Day))
    {
        ["TwinId"] = day.TwinId,
        ["Runs"] = day.Runs,
        ["Failures"] = day.Failures,
        ["Latency"] = day.Latency.ToBytes(),
    };

    private static MonitorDay DayOf(TableEntity entity) => new(
        entity.PartitionKey,
        DateOnly.ParseExact(entity.RowKey, "yyyyMMdd", CultureInfo.InvariantCulture),
        entity.GetString("TwinId"),
        entity.GetInt64("Runs") ?? 0,
        entity.GetInt64("Failures") ?? 0,
        entity.GetBinary("Latency") is { } latency ? LatencySketch.FromBytes(latency) : new LatencySketch());
}
