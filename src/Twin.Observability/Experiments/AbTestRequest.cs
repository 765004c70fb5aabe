namespace Twin.Observability.Experiments;

/// <summary>The body of <c>POST /api/manage/ab-tests</c>.</summary>
public sealed record AbTestRequest
{
    public string? Name { get; init; }

    public string? TwinId { get; init; }

    public List<AbTestVariant>? Variants { get; init; }

    public string? PrimaryMetric { get; init; }

    public List<string>? SecondaryMetrics { get; init; }

    public int? MinSamples { get; init; }

    /// <summary>When the test starts assigning (default now).</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>When it stops by itself (optional).</summary>
    public DateTimeOffset? EndsAt { get; init; }
}
