namespace Twin.Observability.Costs;

/// <summary>The ledger row a tracked usage became; <see cref="Duplicate"/> when its idempotency key was seen before.</summary>
public sealed record TrackedUsage(
    string TraceId,
    string ObservationId,
    DateTimeOffset Timestamp,
    string Model,
    string? TwinId,
    long InputTokens,
    long OutputTokens,
    long CachedInputTokens,
    decimal? CostUsd,
    string? PricedAs,
    bool Duplicate);
