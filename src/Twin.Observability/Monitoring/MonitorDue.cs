namespace Twin.Observability.Monitoring;

/// <summary>Whether a check should run now: the timer's decision, kept pure so its edges are testable.</summary>
public static class MonitorDue
{
    /// <summary>
    /// How early a run may come. The timer fires every minute but its runs jitter by a few seconds; without slack a
    /// check with a one-minute interval whose last run finished at :02 would not be due at the next tick at :01 and
    /// would run only every other minute.
    /// </summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);

    /// <summary>Enabled, and never run or at least its interval (less <see cref="Tolerance"/>) since the last run.</summary>
    public static bool IsDue(MonitorCheck check, MonitorResult? last, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(check);
        return check.Enabled
            && (last is null || now >= last.At + TimeSpan.FromMinutes(check.IntervalMinutes) - Tolerance);
    }
}
