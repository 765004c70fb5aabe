namespace Twin.Observability.Monitoring;

/// <summary>A stored synthetic check. <see cref="Kind"/> is <c>twin</c> or <c>url</c>.</summary>
public sealed record MonitorCheck
{
    public const string TwinKind = "twin";
    public const string UrlKind = "url";

    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Kind { get; init; }

    public string? TwinId { get; init; }

    public string? Url { get; init; }

    /// <summary>What a twin check says to the twin.</summary>
    public string? Message { get; init; }

    public required int ExpectStatus { get; init; }

    public string? ExpectContains { get; init; }

    public required int MaxLatencyMs { get; init; }

    /// <summary>The lowest mean judge score (0–1) a twin check's reply may have.</summary>
    public double? MinScore { get; init; }

    public required int IntervalMinutes { get; init; }

    public required bool Enabled { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public string? ETag { get; init; }
}
