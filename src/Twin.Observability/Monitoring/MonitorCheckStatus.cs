namespace Twin.Observability.Monitoring;

/// <summary>
/// A check in <c>GET /api/manage/monitoring/status</c>: its last result, uptime (share of runs that passed) over 24 hours
/// and 30 days, latency percentiles over 24 hours, failures in a row, and when it is next due.
/// </summary>
public sealed record MonitorCheckStatus(
    string CheckId,
    string Name,
    string Kind,
    bool Enabled,
    MonitorResult? Last,
    double? Uptime24h,
    double? Uptime30d,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    int ConsecutiveFailures,
    DateTimeOffset? NextDueAt);

/// <summary>The whole answer of <c>GET /api/manage/monitoring/status</c>.</summary>
public sealed record MonitoringStatus(bool Running, DateTimeOffset? ChangedAt, IReadOnlyList<MonitorCheckStatus> Checks);
