namespace Twin.Observability.Alerts;

/// <summary>
/// A rule's evaluation state (the <c>AlertStates</c> table, one row per rule, changed only with its ETag so two
/// evaluations cannot both claim a transition). <see cref="Status"/> is <c>ok</c>, <c>pending</c> (breaching, fewer
/// than <c>forEvaluations</c> times in a row), <c>firing</c> or <c>resolved</c> (recovered at the last evaluation).
/// </summary>
public sealed record AlertState
{
    public const string Ok = "ok";
    public const string Pending = "pending";
    public const string Firing = "firing";
    public const string Resolved = "resolved";

    public required string RuleId { get; init; }

    public string Status { get; init; } = Ok;

    /// <summary>Breaching evaluations in a row.</summary>
    public int Breaches { get; init; }

    /// <summary>Whether the warning threshold (but not the alert threshold) is crossed.</summary>
    public bool Warning { get; init; }

    public double? LastValue { get; init; }

    public DateTimeOffset? LastEvaluatedAt { get; init; }

    /// <summary>When <see cref="Status"/> last changed.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>When the current firing episode was last notified (firing or re-notification); null when it was not.</summary>
    public DateTimeOffset? NotifiedAt { get; init; }

    /// <summary>When a firing was last notified, across episodes: the cooldown counts from here.</summary>
    public DateTimeOffset? LastFiringNotifiedAt { get; init; }

    public DateTimeOffset? LastWarningNotifiedAt { get; init; }

    public string? ETag { get; init; }
}
