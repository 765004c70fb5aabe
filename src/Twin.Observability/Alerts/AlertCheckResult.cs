namespace Twin.Observability.Alerts;

/// <summary>One rule's answer to <c>POST /api/manage/alerts/check</c> (and what the timer did): its value, whether it breached, its state and what was sent.</summary>
public sealed record AlertCheckResult(
    string RuleId,
    string Name,
    string Metric,
    string? TwinId,
    double? Value,
    long Samples,
    double Threshold,
    bool Breaching,
    bool NoData,
    string State,
    bool Warning,
    IReadOnlyList<string> Notified,
    string? Note);
