using System.Text.Json.Serialization;

namespace Twin.Observability.Experiments;

/// <summary>
/// An A/B test of one twin (the <c>Experiments</c> table): its variants with their weights and what each changes, the
/// metric that decides, and whether it runs. The first variant is the control the others are measured against.
/// </summary>
public sealed record AbTest
{
    public const string Running = "running";
    public const string Stopped = "stopped";

    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string TwinId { get; init; }

    public required IReadOnlyList<AbTestVariant> Variants { get; init; }

    /// <summary>A score name, <c>latency_ms</c>, <c>cost_usd</c> or <c>error_rate</c>.</summary>
    public required string PrimaryMetric { get; init; }

    public IReadOnlyList<string> SecondaryMetrics { get; init; } = [];

    /// <summary>Samples each variant needs before a verdict.</summary>
    public int MinSamples { get; init; } = 100;

    public required string Status { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the test stops by itself, if set; <see cref="StoppedAt"/> once it stopped.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    public DateTimeOffset? StoppedAt { get; init; }

    [JsonIgnore]
    public string? ETag { get; init; }

    /// <summary>Whether the test assigns chats at <paramref name="now"/>.</summary>
    public bool IsActiveAt(DateTimeOffset now) => Status == Running && now >= StartedAt && (EndsAt is null || now < EndsAt);
}

/// <summary>One arm of a test: its share of units and what it changes in the chat pipeline (null keeps the twin's).</summary>
public sealed record AbTestVariant
{
    public required string Name { get; init; }

    public double Weight { get; init; } = 1;

    public string? PromptName { get; init; }

    public string? PromptLabel { get; init; }

    public int? PromptVersion { get; init; }

    public string? Model { get; init; }

    public double? Temperature { get; init; }

    public bool? FewShot { get; init; }
}
