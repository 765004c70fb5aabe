using System.Text.Json.Nodes;

namespace Twin.Observability.Alerts.Channels;

/// <summary>
/// The generic webhook's event, camelCase: <c>{id, type, timestamp, data}</c>. <c>id</c> is the notification id, the
/// same as the <c>webhook-id</c> header, so a receiver can drop a delivery it already took.
/// </summary>
public static class WebhookPayload
{
    public static JsonObject Build(AlertNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var n = notification;
        return new JsonObject
        {
            ["id"] = n.NotificationId,
            ["type"] = EventType(n.Kind),
            ["timestamp"] = AlertText.Iso(n.At),
            ["data"] = new JsonObject
            {
                ["ruleId"] = n.RuleId,
                ["ruleName"] = n.RuleName,
                ["metric"] = n.Metric,
                ["twinId"] = n.TwinId,
                ["value"] = AlertText.Json(n.Value),
                ["comparator"] = n.Comparator,
                ["threshold"] = AlertText.Json(n.Threshold),
                ["windowMinutes"] = n.WindowMinutes,
                ["severity"] = AlertText.Severity(n.Severity),
                ["dashboardUrl"] = n.DashboardUrl?.AbsoluteUri,
            },
        };
    }

    public static string EventType(AlertEventKind kind) => kind switch
    {
        AlertEventKind.Firing => "alert.firing",
        AlertEventKind.Renotify => "alert.renotify",
        AlertEventKind.Warning => "alert.warning",
        AlertEventKind.Resolved => "alert.resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
