namespace Twin.Observability.Metrics;

/// <summary>A query's answer before it becomes a report: one aggregate per bucket, their total, and what was read.</summary>
public sealed record MetricsSlice(
    MetricsRange Range,
    IReadOnlyList<MetricsBucket> Buckets,
    MetricAggregate Total,
    MetricsSource Source);

public sealed record MetricsBucket(DateTimeOffset Start, MetricAggregate Aggregate);

/// <summary>Where the numbers came from: rollup rows up to <see cref="RolledUpTo"/>, raw ledger rows after it.</summary>
public sealed record MetricsSource(long RollupRows, long LedgerRows, DateTimeOffset? RolledUpTo);
