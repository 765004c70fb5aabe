namespace Twin.Observability.Alerts;

/// <summary>The API's words for a rule's enumerations, in one place.</summary>
public static class AlertRuleValues
{
    public const string ScorePrefix = "avg_score:";

    public static readonly IReadOnlyList<string> Metrics =
        ["error_rate", "latency_p50_ms", "latency_p95_ms", "request_count", "cost_usd", "synthetic_failure_rate", ScorePrefix + "<name>"];

    public static readonly IReadOnlyList<string> Comparators = ["gt", "gte", "lt", "lte", "increase_pct"];

    public static readonly IReadOnlyList<string> Baselines = ["day", "week"];

    public static readonly IReadOnlyList<string> NoDataModes = ["ok", "alert", "keep"];

    public static readonly IReadOnlyList<string> Severities = ["info", "warning", "critical"];

    public static readonly IReadOnlyList<string> ChannelTypes = ["slack", "teams", "pagerduty", "webhook"];

    public static AlertChannelType ChannelTypeOf(string type) => type switch
    {
        "slack" => AlertChannelType.Slack,
        "teams" => AlertChannelType.Teams,
        "pagerduty" => AlertChannelType.PagerDuty,
        "webhook" => AlertChannelType.Webhook,
        _ => throw new FormatException($"'{type}' is not a channel type."),
    };

    public static AlertSeverity SeverityOf(string severity) => severity switch
    {
        "info" => AlertSeverity.Info,
        "critical" => AlertSeverity.Critical,
        _ => AlertSeverity.Warning,
    };

    /// <summary>Whether the metric is a fraction, so thresholds outside [0, 1] can never be crossed.</summary>
    public static bool IsRate(string metric) => metric is "error_rate" or "synthetic_failure_rate";
}
