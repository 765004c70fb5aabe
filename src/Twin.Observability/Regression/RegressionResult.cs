namespace Twin.Observability.Regression;

/// <summary>One item of a run: what was asked, what the twin answered, the judges' scores, time and cost, or why it failed.</summary>
public sealed record RegressionResult
{
    public required string RunId { get; init; }

    public required string ItemId { get; init; }

    public required string Status { get; init; }

    public string? Message { get; init; }

    public string? ExpectedReply { get; init; }

    public string? Reply { get; init; }

    public string? TraceId { get; init; }

    public string? ObservationId { get; init; }

    public IReadOnlyDictionary<string, double> Scores { get; init; } = new Dictionary<string, double>();

    public long LatencyMs { get; init; }

    public decimal? CostUsd { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset At { get; init; }
}
