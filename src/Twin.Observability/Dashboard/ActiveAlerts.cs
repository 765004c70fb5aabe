namespace Twin.Observability.Dashboard;

/// <summary>
/// The alerts firing now (<c>GET /api/dashboard/alerts/active</c>). Alert rules, their evaluation and notifications
/// land with the alerts feature (API.md "Alerts"); until then the list is empty and <see cref="Note"/> says why, so the
/// page and other clients can already rely on the route and its shape.
/// </summary>
public sealed record ActiveAlerts(IReadOnlyList<ActiveAlert> Data, string? Note)
{
    public static ActiveAlerts NotBuiltYet { get; } = new(
        [],
        "Alerts are not built yet: rules, their evaluation and notifications come with the alerts feature (API.md \"Alerts\"). Until then this list is always empty.");
}

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
