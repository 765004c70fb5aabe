namespace Twin.Observability.Regression.Statistics;

/// <summary>
/// An item whose candidate score is worse than its baseline by more than the metric's tolerance. <see cref="Delta"/>
/// is oriented like <see cref="MetricComparison.Delta"/> (negative is worse), so it is always below −tolerance here.
/// </summary>
public sealed record ItemRegression(string ItemId, string Metric, double Baseline, double Candidate, double Delta);
