namespace Twin.Observability.Monitoring;

/// <summary>
/// One run of a check: whether it met every expectation, what it saw (status, latency, judge score, the chat's
/// trace id) and, when it failed, why (one line per unmet expectation).
/// </summary>
public sealed record MonitorResult
{
    public required string CheckId { get; init; }

    /// <summary>The check's twin, when it is a twin check (synthetic_failure_rate per twin reads it).</summary>
    public string? TwinId { get; init; }

    public required DateTimeOffset At { get; init; }

    public required bool Ok { get; init; }

    public int? Status { get; init; }

    public required long LatencyMs { get; init; }

    public double? Score { get; init; }

    public string? TraceId { get; init; }

    public IReadOnlyList<string> Failures { get; init; } = [];
}
