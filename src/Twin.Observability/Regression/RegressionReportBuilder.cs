using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Datasets;
using Twin.Observability.Regression.Statistics;

namespace Twin.Observability.Regression;

/// <summary>
/// Builds a run's report from its results: per-metric mean, median and minimum over the items that succeeded, the pass
/// rate (items whose every score reaches the dataset thresholds, <c>Datasets:Thresholds</c>), latency and cost; and,
/// with a baseline, a paired comparison per metric on the items both runs scored (<see cref="RegressionJudge"/>).
/// </summary>
public sealed class RegressionReportBuilder(IOptions<RegressionOptions> options, IOptions<DatasetOptions> datasets)
{
    public RegressionReport Build(
        RegressionRun run,
        IReadOnlyList<RegressionResult> results,
        (RegressionBaseline Baseline, IReadOnlyList<RegressionResult> Results)? baseline,
        ResultPage<RegressionResult> page)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(results);
        var ok = results.Where(r => r.Status == "ok").ToList();
        var metrics = ok.SelectMany(r => r.Scores.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .ToDictionary(name => name, name => Figures(ok.Where(r => r.Scores.ContainsKey(name)).Select(r => r.Scores[name]).ToList()), StringComparer.Ordinal);
        var thresholds = datasets.Value.Thresholds;
        double? passRate = results.Count == 0 ? null : (double)ok.Count(r => thresholds.All(t => r.Scores.TryGetValue(t.Key, out var s) && s >= t.Value)) / results.Count;
        var latencies = ok.Select(r => (double)r.LatencyMs).Order().ToList();
        var latency = new LatencyFigures(latencies.Count == 0 ? null : latencies.Average(), latencies.Count == 0 ? null : Median(latencies));
        var cost = results.Sum(r => r.CostUsd ?? 0);
        var comparison = baseline is { } b ? Compare(b.Baseline, b.Results, ok) : null;
        var (verdict, reason) = Verdict(run, results, comparison);
        return new RegressionReport(
            run.Id, run.Name, run.Status, run.Dataset, run.TwinId,
            new RegressionSettings(run.PromptLabel, run.PromptVersion, run.Model, run.Temperature, run.FewShot, run.Baseline, run.MaxItems),
            run.CreatedAt, run.FinishedAt, new RegressionProgress(run.Total, run.Done, run.Failed),
            metrics, passRate, latency, cost, comparison, verdict, reason, run.Error, page);
    }

    private RegressionComparison Compare(RegressionBaseline baseline, IReadOnlyList<RegressionResult> baselineResults, IReadOnlyList<RegressionResult> candidate)
    {
        var policy = new RegressionPolicy { Alpha = options.Value.Alpha, MinPairs = options.Value.MinPairs, Tolerances = options.Value.Tolerances };
        var before = baselineResults.Where(r => r.Status == "ok").ToList();
        var names = before.SelectMany(r => r.Scores.Keys).Union(candidate.SelectMany(r => r.Scores.Keys)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var comparisons = new List<MetricComparison>();
        var regressions = new List<ItemRegression>();
        foreach (var name in names)
        {
            var pairs = ItemPairs.Shared(Values(before, name), Values(candidate, name));
            comparisons.Add(RegressionJudge.Compare(name, pairs.Select(p => (p.Baseline, p.Candidate)).ToList(), policy));
            regressions.AddRange(RegressionJudge.ItemRegressions(name, pairs, policy));
        }

        var verdict = RegressionJudge.Verdict(comparisons);
        return new RegressionComparison(baseline, comparisons, regressions, verdict.Outcome, verdict.Reason);
    }

    private static (RegressionOutcome, string) Verdict(RegressionRun run, IReadOnlyList<RegressionResult> results, RegressionComparison? comparison)
    {
        if (run.Status == RegressionRun.FailedStatus)
        {
            return (RegressionOutcome.Inconclusive, $"The run failed: {run.Error}");
        }

        if (run.Status != RegressionRun.Finished)
        {
            return (RegressionOutcome.Inconclusive, "The run has not finished.");
        }

        if (results.Count == 0)
        {
            return (RegressionOutcome.Inconclusive, "The dataset has no items: nothing was tested.");
        }

        if (comparison is not null)
        {
            return (comparison.Verdict, comparison.Reason);
        }

        var failed = results.Count(r => r.Status != "ok");
        return failed == results.Count
            ? (RegressionOutcome.Fail, $"Every item failed ({failed}).")
            : (RegressionOutcome.Pass, failed == 0 ? "Every item ran; no baseline to compare with." : $"{failed} of {results.Count} items failed; no baseline to compare with.");
    }

    private static Dictionary<string, double> Values(IEnumerable<RegressionResult> results, string metric) =>
        results.Where(r => r.Scores.ContainsKey(metric)).ToDictionary(r => r.ItemId, r => r.Scores[metric], StringComparer.Ordinal);

    private static MetricFigures Figures(List<double> values)
    {
        values.Sort();
        return new MetricFigures(values.Average(), Median(values), values[0], values.Count);
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
