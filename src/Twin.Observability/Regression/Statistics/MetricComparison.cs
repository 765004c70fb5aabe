namespace Twin.Observability.Regression.Statistics;

/// <summary>
/// One metric of a candidate run against its baseline, over the items both runs scored.
/// <see cref="BaselineMean"/> and <see cref="CandidateMean"/> are in the metric's units. <see cref="Delta"/>,
/// <see cref="CiLow"/> and <see cref="CiHigh"/> are oriented so that negative is always worse: candidate − baseline for
/// higher-is-better metrics, baseline − candidate for lower-is-better ones. The statistics are null with no pairs.
/// <see cref="PValue"/> is the two-sided Wilcoxon signed-rank p-value.
/// </summary>
public sealed record MetricComparison(
    string Metric,
    int Pairs,
    bool HigherIsBetter,
    double? BaselineMean,
    double? CandidateMean,
    double? Delta,
    double? PValue,
    double? CiLow,
    double? CiHigh,
    double Tolerance,
    RegressionOutcome Outcome,
    string Reason);
