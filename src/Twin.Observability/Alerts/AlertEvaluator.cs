namespace Twin.Observability.Alerts;

/// <summary>
/// The rule state machine, a pure function of the rule, its state, the reading and the time (unit-tested without
/// storage). ok/resolved → pending while breaching fewer than <c>forEvaluations</c> times in a row → firing (notified
/// unless a firing was notified less than <c>cooldownMinutes</c> ago; then once the cooldown ends, if it still fires) → resolved when it stops breaching (notified
/// when the firing was, and <c>notifyOnRecovery</c>) → ok. While firing, <c>renotifyMinutes</c> repeats the
/// notification. The warning threshold notifies once per crossing, outside firing. No data follows <c>noData</c>:
/// <c>ok</c> (not breaching), <c>alert</c> (breaching) or <c>keep</c> (nothing changes).
/// </summary>
public static class AlertEvaluator
{
    public static AlertEvaluation Evaluate(AlertRule rule, AlertState state, AlertReading reading, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(reading);
        var value = ValueOf(rule, reading);
        if (value is null && rule.NoData == "keep")
        {
            return new AlertEvaluation(state with { LastValue = null, LastEvaluatedAt = now }, null, state.Status is AlertState.Pending or AlertState.Firing, true, [], null);
        }

        var breaching = value is { } v ? Crosses(rule.Comparator, v, rule.Threshold) : rule.NoData == "alert";
        var warning = !breaching && value is { } w && rule.WarningThreshold is { } warningAt && Crosses(rule.Comparator, w, warningAt);
        var next = state with { LastValue = value, LastEvaluatedAt = now };
        var notify = new List<AlertEventKind>();
        string? suppressed = null;

        if (breaching)
        {
            next = next with { Breaches = state.Breaches + 1, Warning = false };
            if (state.Status == AlertState.Firing)
            {
                if (state.NotifiedAt is null && !InCooldown(rule, state.LastFiringNotifiedAt, now))
                {
                    // A firing the cooldown held back is notified once the cooldown ends, if it still fires.
                    notify.Add(AlertEventKind.Firing);
                    next = next with { NotifiedAt = now, LastFiringNotifiedAt = now };
                }
                else if (rule.RenotifyMinutes is { } every && state.NotifiedAt is { } last && now - last >= TimeSpan.FromMinutes(every))
                {
                    notify.Add(AlertEventKind.Renotify);
                    next = next with { NotifiedAt = now };
                }
            }
            else if (next.Breaches >= rule.ForEvaluations)
            {
                next = next with { Status = AlertState.Firing, Since = now, NotifiedAt = null };
                if (InCooldown(rule, state.LastFiringNotifiedAt, now))
                {
                    suppressed = $"firing not notified yet: a firing was notified at {state.LastFiringNotifiedAt:u}, within the {rule.CooldownMinutes}-minute cooldown";
                }
                else
                {
                    notify.Add(AlertEventKind.Firing);
                    next = next with { NotifiedAt = now, LastFiringNotifiedAt = now };
                }
            }
            else if (state.Status != AlertState.Pending)
            {
                next = next with { Status = AlertState.Pending, Since = now };
            }

            return new AlertEvaluation(next, value, true, value is null, notify, suppressed);
        }

        next = next with { Breaches = 0 };
        switch (state.Status)
        {
            case AlertState.Firing:
                next = next with { Status = AlertState.Resolved, Since = now, NotifiedAt = null };
                if (rule.NotifyOnRecovery && state.NotifiedAt is not null)
                {
                    notify.Add(AlertEventKind.Resolved);
                }

                break;
            case AlertState.Pending or AlertState.Resolved:
                next = next with { Status = AlertState.Ok, Since = now };
                break;
        }

        if (warning && !state.Warning)
        {
            if (state.LastWarningNotifiedAt is { } warned && now - warned < TimeSpan.FromMinutes(rule.CooldownMinutes))
            {
                suppressed = $"warning not notified: a warning was notified at {warned:u}, within the {rule.CooldownMinutes}-minute cooldown";
            }
            else
            {
                notify.Add(AlertEventKind.Warning);
                next = next with { LastWarningNotifiedAt = now };
            }
        }

        next = next with { Warning = warning };
        return new AlertEvaluation(next, value, false, value is null, notify, suppressed);
    }

    private static bool InCooldown(AlertRule rule, DateTimeOffset? lastNotified, DateTimeOffset now) =>
        lastNotified is { } at && now - at < TimeSpan.FromMinutes(rule.CooldownMinutes);

    /// <summary>The number compared with the threshold: the metric, or its change in percent against the baseline (no data without a baseline above zero).</summary>
    public static double? ValueOf(AlertRule rule, AlertReading reading)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(reading);
        if (rule.Comparator != "increase_pct")
        {
            return reading.Value;
        }

        return reading is { Value: { } value, Baseline: { } baseline } && baseline > 0 ? (value - baseline) / baseline * 100 : null;
    }

    public static bool Crosses(string comparator, double value, double threshold) => comparator switch
    {
        "gt" or "increase_pct" => value > threshold,
        "gte" => value >= threshold,
        "lt" => value < threshold,
        "lte" => value <= threshold,
        _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, "Unknown comparator."),
    };
}
