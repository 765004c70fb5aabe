using System.Text.Json.Serialization;

namespace Twin.Observability.Alerts;

/// <summary>
/// A stored alert rule (API.md "Alerts"). Names of enumerations are the API's strings (<c>gt</c>, <c>keep</c>,
/// <c>critical</c>). <see cref="Threshold"/> of <c>error_rate</c> and <c>synthetic_failure_rate</c> is a fraction
/// (0.05 = 5 %); of <c>increase_pct</c> a percentage against the <see cref="Baseline"/> window.
/// </summary>
public sealed record AlertRule
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Metric { get; init; }

    public string? TwinId { get; init; }

    public required int WindowMinutes { get; init; }

    public required string Comparator { get; init; }

    public required double Threshold { get; init; }

    public double? WarningThreshold { get; init; }

    /// <summary><c>day</c> or <c>week</c>: the window that <c>increase_pct</c> compares with.</summary>
    public string? Baseline { get; init; }

    public required int ForEvaluations { get; init; }

    public required int CooldownMinutes { get; init; }

    public int? RenotifyMinutes { get; init; }

    public required bool NotifyOnRecovery { get; init; }

    public required string NoData { get; init; }

    public required string Severity { get; init; }

    [JsonIgnore]
    public IReadOnlyList<StoredAlertChannel> StoredChannels { get; init; } = [];

    /// <summary>The channels as the API shows them: URLs redacted, secrets never.</summary>
    public IReadOnlyList<AlertChannelView> Channels => StoredChannels.Select(c => c.View()).ToList();

    public required bool Enabled { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public string? ETag { get; init; }
}

/// <summary>A channel as returned by the API.</summary>
public sealed record AlertChannelView(string Type, string Url, bool HasSecret, string? SecretSetting);
