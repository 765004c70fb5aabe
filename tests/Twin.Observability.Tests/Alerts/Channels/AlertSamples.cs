using Twin.Observability.Alerts;

namespace Twin.Observability.Tests.Alerts.Channels;

internal static class AlertSamples
{
    public static readonly DateTimeOffset At = new(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    public static AlertNotification Notification(
        AlertEventKind kind = AlertEventKind.Firing,
        AlertSeverity severity = AlertSeverity.Critical,
        string ruleName = "p95 latency",
        string? twinId = "twin-7",
        double? value = 812.5,
        Uri? dashboard = null,
        string dedupKey = "rule-1|twin-7",
        string notificationId = "ntf_01") =>
        new(notificationId, dedupKey, "rule-1", ruleName, kind, severity, "latency_ms", twinId, value, ">", 500, 5, At, dashboard);

    public static readonly Uri DashboardUri = new("https://twin.example.com/dashboard?rule=rule-1");
}
