using Twin.Observability.Common;
using Twin.Observability.Regression.Statistics;

namespace Twin.Observability.Regression;

/// <summary>
/// <c>GET /api/manage/regression/test/{id}</c>: the run, its progress, per-metric figures, pass rate, latency and cost,
/// the comparison with its baseline and the verdict, and a page of per-item results.
/// </summary>
public sealed record RegressionReport(
    string Id,
    string Name,
    string Status,
    string Dataset,
    string TwinId,
    RegressionSettings Settings,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    RegressionProgress Progress,
    IReadOnlyDictionary<string, MetricFigures> Metrics,
    double? PassRate,
    LatencyFigures LatencyMs,
    decimal CostUsd,
    RegressionComparison? Comparison,
    RegressionOutcome Verdict,
    string Reason,
    string? Error,
    ResultPage<RegressionResult> Items);

public sealed record RegressionSettings(string? PromptLabel, int? PromptVersion, string? Model, double? Temperature, bool FewShot, string? Baseline, int? MaxItems);

public sealed record RegressionProgress(int? Total, int Done, int Failed);

public sealed record MetricFigures(double Mean, double P50, double Min, int Count);

public sealed record LatencyFigures(double? Mean, double? P50);

public sealed record RegressionComparison(
    RegressionBaseline Baseline,
    IReadOnlyList<MetricComparison> Metrics,
    IReadOnlyList<ItemRegression> Regressions,
    RegressionOutcome Verdict,
    string Reason);
