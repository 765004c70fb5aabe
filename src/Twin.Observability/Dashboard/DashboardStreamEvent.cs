namespace Twin.Observability.Dashboard;

/// <summary>
/// One event of <c>GET /api/dashboard/stream</c>. <c>snapshot</c> (the first after a fresh connect): the overview, the
/// recent traces and the active alerts, as the JSON routes give them. <c>update</c>: the overview, the traces new
/// since the last event (newest first, at most <see cref="DashboardEvents.MaxTracesPerEvent"/>; <see cref="TracesOmitted"/>
/// counts the rest) and the alert transitions since it, with the active alerts when there were any. <c>end</c>: the
/// response is over; reconnect with the last id (<see cref="Note"/> says why when it ended early).
/// </summary>
public sealed record DashboardStreamEvent(
    string Type,
    DateTimeOffset At,
    OverviewReport? Overview,
    IReadOnlyList<RecentTrace> Traces,
    int TracesOmitted,
    IReadOnlyList<AlertTransition> AlertChanges,
    ActiveAlerts? Alerts,
    string? Note = null)
{
    public const string Snapshot = "snapshot";

    public const string Update = "update";

    public const string End = "end";
}

/// <summary>An alert rule's state change as the alert history records it.</summary>
public sealed record AlertTransition(string RuleId, string? RuleName, string? From, string? To, double? Value, double? Threshold, DateTimeOffset At);
