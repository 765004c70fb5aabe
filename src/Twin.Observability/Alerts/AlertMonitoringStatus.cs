namespace Twin.Observability.Alerts;

/// <summary>Whether the <c>EvaluateAlerts</c> timer evaluates rules (<c>start-monitoring</c> / <c>stop-monitoring</c>).</summary>
public sealed record AlertMonitoringStatus(bool Monitoring, DateTimeOffset? ChangedAt, int Rules, int Firing);
