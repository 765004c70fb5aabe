namespace Twin.Observability.Alerts;

/// <summary>
/// A rule's metric over its window: <see cref="Value"/> null means no data (no requests for a rate or a latency, no
/// scores for a score). <see cref="Baseline"/> is the same metric over the baseline window, for <c>increase_pct</c>.
/// </summary>
public sealed record AlertReading(double? Value, long Samples, double? Baseline = null);
