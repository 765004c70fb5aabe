namespace Twin.Observability.Alerts;

/// <summary>The body of <c>POST /api/manage/alerts/rules</c> and <c>PUT …/{id}</c>; <see cref="AlertRuleValidator"/> fills the defaults.</summary>
public sealed record AlertRuleRequest
{
    public string? Name { get; init; }

    public string? Metric { get; init; }

    public string? TwinId { get; init; }

    public int? WindowMinutes { get; init; }

    public string? Comparator { get; init; }

    public double? Threshold { get; init; }

    public double? WarningThreshold { get; init; }

    public string? Baseline { get; init; }

    public int? ForEvaluations { get; init; }

    public int? CooldownMinutes { get; init; }

    public int? RenotifyMinutes { get; init; }

    public bool? NotifyOnRecovery { get; init; }

    public string? NoData { get; init; }

    public string? Severity { get; init; }

    public IReadOnlyList<AlertChannelRequest>? Channels { get; init; }

    public bool? Enabled { get; init; }
}

/// <summary>
/// One channel of a rule. <see cref="Secret"/> (a generic webhook's signing secret, PagerDuty's routing key) is
/// write-only: it is stored encrypted and never returned. <see cref="SecretSetting"/> instead names an app setting that
/// holds it (in Azure, a Key Vault reference). Sending back the redacted <see cref="Url"/> a GET returned, without a
/// secret, keeps the stored URL and secret.
/// </summary>
public sealed record AlertChannelRequest
{
    public string? Type { get; init; }

    public string? Url { get; init; }

    public string? Secret { get; init; }

    public string? SecretSetting { get; init; }

    /// <summary>PagerDuty's name for the secret; the same as <see cref="Secret"/>.</summary>
    public string? RoutingKey { get; init; }
}
