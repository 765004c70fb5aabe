namespace Twin.Observability.Monitoring;

/// <summary>
/// A check's status for <c>GET /api/manage/monitoring/status</c>, from three reads of <see cref="MonitorResultStore"/>:
/// the newest results (last result, failures in a row), the last 24 hours of results (uptime and exact latency
/// percentiles: at most 1,440 rows at the shortest interval, few enough to sort), and the day rows of the last 30
/// days (uptime; today's partial day included, so 30 rows at most).
/// </summary>
public sealed class MonitorStatusReader(MonitorResultStore results)
{
    /// <summary>How far back failures in a row are counted: beyond this the count says "at least".</summary>
    public const int MaxConsecutiveFailures = 100;

    public static readonly TimeSpan DayWindow = TimeSpan.FromHours(24);

    public const int UptimeDays = 30;

    public async Task<MonitorCheckStatus> StatusAsync(MonitorCheck check, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var newest = await results.LatestAsync(check.Id, MaxConsecutiveFailures, cancellationToken).ConfigureAwait(false);
        var last = newest.Count > 0 ? newest[0] : null;
        var consecutiveFailures = newest.TakeWhile(r => !r.Ok).Count();

        // Results stamped after `now` (a clock ahead on another instance) still count: they are the latest runs.
        var day = await results.SinceAsync(check.Id, now - DayWindow, cancellationToken).ConfigureAwait(false);
        double? uptime24h = day.Count == 0 ? null : (double)day.Count(r => r.Ok) / day.Count;
        var latencies = day.Select(r => r.LatencyMs).Order().ToList();

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var days = await results.DaysAsync(check.Id, today.AddDays(-(UptimeDays - 1)), today, cancellationToken).ConfigureAwait(false);
        var runs30d = days.Sum(d => d.Runs);
        double? uptime30d = runs30d == 0 ? null : (double)(runs30d - days.Sum(d => d.Failures)) / runs30d;

        DateTimeOffset? nextDueAt = !check.Enabled ? null
            : last is null ? now
            : last.At + TimeSpan.FromMinutes(check.IntervalMinutes);

        return new MonitorCheckStatus(
            check.Id,
            check.Name,
            check.Kind,
            check.Enabled,
            last,
            uptime24h,
            uptime30d,
            Quantile(latencies, 0.50),
            Quantile(latencies, 0.95),
            consecutiveFailures,
            nextDueAt);
    }

    /// <summary>The status of each of <paramref name="checks"/>, in their order.</summary>
    public async Task<IReadOnlyList<MonitorCheckStatus>> StatusesAsync(IEnumerable<MonitorCheck> checks, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var statuses = new List<MonitorCheckStatus>();
        foreach (var check in checks)
        {
            statuses.Add(await StatusAsync(check, now, cancellationToken).ConfigureAwait(false));
        }

        return statuses;
    }

    // The lower rank floor(q·(n−1)), the definition LatencySketch uses, so these agree with the dashboard's percentiles.
    private static double? Quantile(List<long> sorted, double q) =>
        sorted.Count == 0 ? null : sorted[(int)Math.Floor(q * (sorted.Count - 1))];
}
