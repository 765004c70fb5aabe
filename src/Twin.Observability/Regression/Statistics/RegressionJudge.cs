using System.Globalization;

namespace Twin.Observability.Regression.Statistics;

/// <summary>
/// Decides whether a candidate run regressed against its baseline, metric by metric and overall.
/// A metric <b>fails</b> when its mean drops by more than its tolerance <i>and</i> the Wilcoxon signed-rank test finds
/// the shift significant (p &lt; alpha): the tolerance keeps tiny but real drops from failing a run, the test keeps
/// noise on a handful of items from failing it. (The stricter alternative, a bootstrap interval wholly below
/// −tolerance, is not the criterion; the interval is reported for reading.) A drop beyond tolerance that is not
/// significant, or fewer than <see cref="RegressionPolicy.MinPairs"/> pairs, is <b>inconclusive</b>; anything else passes.
/// </summary>
public static class RegressionJudge
{
    public static MetricComparison Compare(string metric, IReadOnlyList<(double Baseline, double Candidate)> pairs, RegressionPolicy policy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();

        var higherIsBetter = policy.HigherIsBetter(metric);
        var tolerance = policy.ToleranceFor(metric);
        var n = pairs.Count;
        if (n == 0)
        {
            return new MetricComparison(metric, 0, higherIsBetter, null, null, null, null, null, null, tolerance, RegressionOutcome.Inconclusive,
                Invariant($"{metric}: no items scored in both runs"));
        }

        var baseline = pairs.Select(p => p.Baseline).ToArray();
        var candidate = pairs.Select(p => p.Candidate).ToArray();

        // Orient so that negative is worse: negating both values of a lower-is-better metric turns candidate −
        // baseline into baseline − candidate. The Wilcoxon p-value is symmetric, so only delta and interval change.
        var sign = higherIsBetter ? 1.0 : -1.0;
        var oriented = (Baseline: baseline.Select(v => sign * v).ToArray(), Candidate: candidate.Select(v => sign * v).ToArray());
        var wilcoxon = WilcoxonSignedRank.Test(oriented.Baseline, oriented.Candidate);
        var interval = PairedBootstrap.MeanDifferenceInterval(oriented.Baseline, oriented.Candidate, policy.Confidence, policy.BootstrapResamples, policy.BootstrapSeed);
        var delta = interval.MeanDifference;
        var drop = -delta;
        var p = wilcoxon.PValue;

        var (outcome, reason) = (n < policy.MinPairs, Exceeds(drop, tolerance), p < policy.Alpha) switch
        {
            (true, _, _) => (RegressionOutcome.Inconclusive, Invariant($"{metric}: only {n} shared items, fewer than {policy.MinPairs}")),
            (false, true, true) => (RegressionOutcome.Fail, Invariant($"{metric} dropped {drop:0.####} (tolerance {tolerance:0.####}), p = {p:0.####} < {policy.Alpha}")),
            (false, true, false) => (RegressionOutcome.Inconclusive, Invariant($"{metric} dropped {drop:0.####} (tolerance {tolerance:0.####}) but p = {p:0.####} ≥ {policy.Alpha}")),
            _ => (RegressionOutcome.Pass, Invariant($"{metric} changed by {delta:+0.####;-0.####;0} (tolerance {tolerance:0.####})")),
        };

        return new MetricComparison(metric, n, higherIsBetter, baseline.Average(), candidate.Average(), delta, p, interval.Low, interval.High, tolerance, outcome, reason);
    }

    /// <summary>
    /// Fail if any metric fails; pass only if every metric passes; otherwise (some inconclusive, or nothing compared at
    /// all, which proves nothing) inconclusive. The reason names the metrics behind the outcome.
    /// </summary>
    public static RegressionVerdict Verdict(IEnumerable<MetricComparison> comparisons)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        var all = comparisons.ToList();
        if (all.Count == 0)
        {
            return new RegressionVerdict(RegressionOutcome.Inconclusive, "inconclusive: no metric was compared");
        }

        var failed = Names(all, RegressionOutcome.Fail);
        var undecided = Names(all, RegressionOutcome.Inconclusive);
        if (failed.Length > 0)
        {
            var also = undecided.Length > 0 ? $"; inconclusive: {undecided}" : string.Empty;
            return new RegressionVerdict(RegressionOutcome.Fail, $"fail: significant drop beyond tolerance in {failed}{also}");
        }

        if (undecided.Length > 0)
        {
            return new RegressionVerdict(RegressionOutcome.Inconclusive, $"inconclusive: too few pairs or a drop that is not significant in {undecided}");
        }

        return new RegressionVerdict(RegressionOutcome.Pass, Invariant($"pass: {all.Count} metric(s) within tolerance: {Names(all, RegressionOutcome.Pass)}"));
    }

    /// <summary>
    /// Items worse in the candidate than in the baseline by more than the metric's tolerance (candidate &lt; baseline −
    /// tolerance, or &gt; baseline + tolerance when lower is better): the ones to read when a metric regresses. Worst
    /// first, then by item id.
    /// </summary>
    public static IReadOnlyList<ItemRegression> ItemRegressions(
        string metric,
        IEnumerable<(string ItemId, double Baseline, double Candidate)> items,
        RegressionPolicy policy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();

        var sign = policy.HigherIsBetter(metric) ? 1.0 : -1.0;
        var tolerance = policy.ToleranceFor(metric);
        return items
            .Where(item => double.IsFinite(item.Baseline) && double.IsFinite(item.Candidate))
            .Select(item => new ItemRegression(item.ItemId, metric, item.Baseline, item.Candidate, sign * (item.Candidate - item.Baseline)))
            .Where(item => Exceeds(-item.Delta, tolerance))
            .OrderBy(item => item.Delta)
            .ThenBy(item => item.ItemId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// A drop exceeds the tolerance only by more than rounding: 0.75 − 0.8 is −0.05000000000000004 in doubles, and a
    /// drop of exactly the tolerance is allowed.
    /// </summary>
    private static bool Exceeds(double drop, double tolerance) =>
        drop > tolerance + (WilcoxonSignedRank.Tolerance * Math.Max(1.0, Math.Abs(tolerance)));

    private static string Names(IEnumerable<MetricComparison> comparisons, RegressionOutcome outcome) =>
        string.Join(", ", comparisons.Where(c => c.Outcome == outcome).Select(c => c.Metric));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
