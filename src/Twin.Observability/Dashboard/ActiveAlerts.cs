namespace Twin.Observability.Dashboard;

/// <summary>
/// The alerts firing now (<c>GET /api/dashboard/alerts/active</c>), critical first, then the longest firing.
/// <see cref="Note"/> explains an empty list when there is something to explain.
/// </summary>
public sealed record ActiveAlerts(IReadOnlyList<ActiveAlert> Data, string? Note);

/// <summary>One firing alert: its rule, the metric's value that fired it, and since when.</summary>
public sealed record ActiveAlert(
    string RuleId,
    string Name,
    string Metric,
    string? TwinId,
    string Severity,
    string State,
    double? Value,
    double Threshold,
    DateTimeOffset Since);
