namespace Twin.Observability.Alerts;

/// <summary>
/// One channel as the sender needs it: its type, its target URL, and the secret that signs generic webhooks (already
/// decrypted or read from its setting; never logged) or PagerDuty's routing key.
/// </summary>
public sealed record AlertDelivery(AlertChannelType Type, Uri Url, string? Secret, string? RoutingKey);

/// <summary>
/// What happened to a rule, as every channel reports it. <see cref="NotificationId"/> is unique per transition (the
/// generic webhook's <c>webhook-id</c>, so a receiver can drop a retry it already took); <see cref="DedupKey"/> names
/// the incident (the rule and its twin), so PagerDuty resolves what it triggered.
/// </summary>
public sealed record AlertNotification(
    string NotificationId,
    string DedupKey,
    string RuleId,
    string RuleName,
    AlertEventKind Kind,
    AlertSeverity Severity,
    string Metric,
    string? TwinId,
    double? Value,
    string Comparator,
    double Threshold,
    int WindowMinutes,
    DateTimeOffset At,
    Uri? DashboardUrl);

/// <summary>How one send went: delivered or not, after how many attempts, the last status code or error (no secrets, no URL query).</summary>
public sealed record AlertSendResult(AlertChannelType Type, string Target, bool Delivered, int Attempts, int? StatusCode, string? Error);

/// <summary>Sends one notification to one channel; never throws for a failed delivery (the result says so), so a failing channel never blocks the others.</summary>
public interface IAlertSender
{
    Task<AlertSendResult> SendAsync(AlertDelivery delivery, AlertNotification notification, CancellationToken cancellationToken);
}
