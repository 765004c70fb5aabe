using Twin.Observability.Regression.Statistics;
using Xunit;

namespace Twin.Observability.Tests.Regression;

public sealed class RegressionJudgeTests
{
    private static readonly RegressionPolicy Policy = new();

    [Fact]
    public void A_big_drop_over_many_pairs_fails()
    {
        var pairs = Pairs(PairedBootstrapTests.Shifted(seed: 1, n: 50, shift: -0.2, noise: 0.05));

        var comparison = RegressionJudge.Compare("relevance", pairs, Policy);

        Assert.Equal(RegressionOutcome.Fail, comparison.Outcome);
        Assert.Equal(50, comparison.Pairs);
        Assert.True(comparison.HigherIsBetter);
        Assert.InRange(comparison.Delta!.Value, -0.22, -0.18);
        Assert.Equal(comparison.CandidateMean!.Value - comparison.BaselineMean!.Value, comparison.Delta.Value, 12);
        Assert.True(comparison.PValue < 1e-6);
        Assert.True(comparison.CiHigh < -0.05);
        Assert.Equal(0.05, comparison.Tolerance);
        Assert.Contains("relevance dropped", comparison.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_significant_drop_within_the_tolerance_passes()
    {
        var pairs = Pairs(PairedBootstrapTests.Shifted(seed: 2, n: 200, shift: -0.02, noise: 0.01));

        var comparison = RegressionJudge.Compare("groundedness", pairs, Policy);

        Assert.True(comparison.PValue < 0.001);
        Assert.InRange(comparison.Delta!.Value, -0.03, -0.01);
        Assert.Equal(RegressionOutcome.Pass, comparison.Outcome);
    }

    [Fact]
    public void A_drop_of_exactly_the_tolerance_passes_despite_rounding()
    {
        // 0.75 − 0.8 is −0.05000000000000004 in doubles.
        var pairs = Enumerable.Range(0, 20).Select(_ => (0.8, 0.75)).ToList();

        var comparison = RegressionJudge.Compare("relevance", pairs, Policy);

        Assert.Equal(RegressionOutcome.Pass, comparison.Outcome);
        Assert.Equal(RegressionOutcome.Fail, RegressionJudge.Compare("relevance", pairs, Policy with { Tolerances = new Dictionary<string, double> { ["relevance"] = 0.04 } }).Outcome);
    }

    [Fact]
    public void A_big_drop_over_three_pairs_is_inconclusive()
    {
        List<(double, double)> pairs = [(0.9, 0.3), (0.8, 0.2), (0.95, 0.4)];

        var comparison = RegressionJudge.Compare("relevance", pairs, Policy);

        Assert.Equal(RegressionOutcome.Inconclusive, comparison.Outcome);
        Assert.Equal(3, comparison.Pairs);
        Assert.True(comparison.Delta < -0.5);
        Assert.Contains("only 3 shared items", comparison.Reason, StringComparison.Ordinal);
        // With enough pairs allowed, the same data is still not significant (exact p = 2/8), so still inconclusive.
        var relaxed = RegressionJudge.Compare("relevance", pairs, Policy with { MinPairs = 3 });
        Assert.Equal(0.25, relaxed.PValue);
        Assert.Equal(RegressionOutcome.Inconclusive, relaxed.Outcome);
    }

    [Fact]
    public void A_big_but_noisy_drop_is_inconclusive()
    {
        // Mean drop 0.1 driven by two items; most items improved a little.
        double[] differences = [-0.9, -0.8, 0.1, 0.2, 0.1, 0.15, 0.05, -0.05, 0.1, 0.05];
        var pairs = differences.Select(d => (0.5, 0.5 + d)).ToList();

        var comparison = RegressionJudge.Compare("persona_consistency", pairs, Policy);

        Assert.InRange(comparison.Delta!.Value, -0.1001, -0.0999);
        Assert.True(comparison.PValue >= 0.05);
        Assert.Equal(RegressionOutcome.Inconclusive, comparison.Outcome);
    }

    [Fact]
    public void A_latency_increase_fails_and_a_latency_decrease_passes()
    {
        var random = new Random(4);
        var baseline = Enumerable.Range(0, 30).Select(_ => 800 + (400 * random.NextDouble())).ToArray();
        var slower = baseline.Select(b => b + 300 + (50 * random.NextDouble())).ToArray();
        var faster = baseline.Select(b => b - 300 - (50 * random.NextDouble())).ToArray();
        var policy = Policy with { Tolerances = new Dictionary<string, double> { ["latency_ms"] = 100 } };

        var worse = RegressionJudge.Compare("latency_ms", baseline.Zip(slower).ToList(), policy);
        var better = RegressionJudge.Compare("latency_ms", baseline.Zip(faster).ToList(), policy);

        Assert.False(worse.HigherIsBetter);
        Assert.Equal(100, worse.Tolerance);
        Assert.True(worse.CandidateMean > worse.BaselineMean);
        Assert.InRange(worse.Delta!.Value, -350, -300);
        Assert.True(worse.CiLow < worse.CiHigh && worse.CiHigh < -100);
        Assert.Equal(RegressionOutcome.Fail, worse.Outcome);
        Assert.InRange(better.Delta!.Value, 300, 350);
        Assert.Equal(RegressionOutcome.Pass, better.Outcome);
    }

    [Fact]
    public void An_improvement_passes_and_no_pairs_is_inconclusive()
    {
        var improved = RegressionJudge.Compare("relevance", Pairs(PairedBootstrapTests.Shifted(seed: 5, n: 30, shift: 0.2, noise: 0.05)), Policy);
        var nothing = RegressionJudge.Compare("relevance", [], Policy);

        Assert.Equal(RegressionOutcome.Pass, improved.Outcome);
        Assert.True(improved.Delta > 0.15);
        Assert.Equal(RegressionOutcome.Inconclusive, nothing.Outcome);
        Assert.Equal(0, nothing.Pairs);
        Assert.Null(nothing.Delta);
        Assert.Null(nothing.PValue);
    }

    [Theory]
    [InlineData("relevance", true)]
    [InlineData("latency_ms", false)]
    [InlineData("first_token_ms", false)]
    [InlineData("cost_usd", false)]
    [InlineData("total_cost_usd", false)]
    [InlineData("ms_per_token", true)]
    public void Direction_follows_the_metric_name(string metric, bool higherIsBetter) =>
        Assert.Equal(higherIsBetter, Policy.HigherIsBetter(metric));

    [Fact]
    public void Directions_and_tolerances_can_be_set_per_metric()
    {
        var policy = Policy with
        {
            Directions = new Dictionary<string, bool> { ["refusal_rate"] = false, ["latency_ms"] = true },
            Tolerances = new Dictionary<string, double> { ["refusal_rate"] = 0.01 },
        };

        Assert.False(policy.HigherIsBetter("refusal_rate"));
        Assert.True(policy.HigherIsBetter("latency_ms"));
        Assert.Equal(0.01, policy.ToleranceFor("refusal_rate"));
        Assert.Equal(RegressionPolicy.DefaultTolerance, policy.ToleranceFor("relevance"));
    }

    [Fact]
    public void Invalid_policies_are_refused()
    {
        List<(double, double)> pairs = [(0.5, 0.5)];
        Assert.Throws<ArgumentOutOfRangeException>(() => RegressionJudge.Compare("relevance", pairs, Policy with { Alpha = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegressionJudge.Compare("relevance", pairs, Policy with { MinPairs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegressionJudge.Compare("relevance", pairs, Policy with { Tolerances = new Dictionary<string, double> { ["relevance"] = -1 } }));
    }

    [Fact]
    public void The_verdict_fails_on_any_failure_and_names_the_metrics()
    {
        var verdict = RegressionJudge.Verdict([Of("relevance", RegressionOutcome.Pass), Of("groundedness", RegressionOutcome.Fail), Of("latency_ms", RegressionOutcome.Inconclusive)]);

        Assert.Equal(RegressionOutcome.Fail, verdict.Outcome);
        Assert.Equal("fail: significant drop beyond tolerance in groundedness; inconclusive: latency_ms", verdict.Reason);
    }

    [Fact]
    public void The_verdict_passes_only_when_every_metric_passes()
    {
        var pass = RegressionJudge.Verdict([Of("relevance", RegressionOutcome.Pass), Of("groundedness", RegressionOutcome.Pass)]);
        var mixed = RegressionJudge.Verdict([Of("relevance", RegressionOutcome.Pass), Of("groundedness", RegressionOutcome.Inconclusive)]);
        var none = RegressionJudge.Verdict([]);

        Assert.Equal(RegressionOutcome.Pass, pass.Outcome);
        Assert.Equal("pass: 2 metric(s) within tolerance: relevance, groundedness", pass.Reason);
        Assert.Equal(RegressionOutcome.Inconclusive, mixed.Outcome);
        Assert.Contains("groundedness", mixed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("relevance", mixed.Reason, StringComparison.Ordinal);
        Assert.Equal(RegressionOutcome.Inconclusive, none.Outcome);
        Assert.Equal("inconclusive: no metric was compared", none.Reason);
    }

    [Fact]
    public void Items_worse_by_more_than_the_tolerance_are_flagged_worst_first()
    {
        List<(string, double, double)> items =
        [
            ("a", 0.8, 0.75), // exactly the tolerance: allowed
            ("b", 0.9, 0.5),
            ("c", 0.6, 0.9),
            ("d", 0.7, 0.6),
            ("e", 0.5, 0.5),
        ];

        var flagged = RegressionJudge.ItemRegressions("relevance", items, Policy);

        Assert.Equal(["b", "d"], flagged.Select(i => i.ItemId));
        Assert.Equal(-0.4, flagged[0].Delta, 12);
        Assert.Equal(new ItemRegression("d", "relevance", 0.7, 0.6, 0.6 - 0.7), flagged[1]);
    }

    [Fact]
    public void Item_regressions_follow_the_metric_direction()
    {
        List<(string, double, double)> items = [("fast", 1000, 700), ("slow", 1000, 1500), ("same", 1000, 1040)];
        var policy = Policy with { Tolerances = new Dictionary<string, double> { ["latency_ms"] = 50 } };

        var flagged = RegressionJudge.ItemRegressions("latency_ms", items, policy);

        var item = Assert.Single(flagged);
        Assert.Equal("slow", item.ItemId);
        Assert.Equal(-500, item.Delta);
    }

    [Fact]
    public void Only_items_scored_in_both_runs_are_paired_in_id_order()
    {
        var baseline = new Dictionary<string, double> { ["b"] = 0.5, ["a"] = 0.4, ["gone"] = 0.9, ["nan"] = 0.1 };
        var candidate = new Dictionary<string, double> { ["a"] = 0.6, ["b"] = 0.3, ["new"] = 0.2, ["nan"] = double.NaN };

        var pairs = ItemPairs.Shared(baseline, candidate);

        Assert.Equal([("a", 0.4, 0.6), ("b", 0.5, 0.3)], pairs);
    }

    private static List<(double Baseline, double Candidate)> Pairs((double[] Baseline, double[] Candidate) runs) =>
        runs.Baseline.Zip(runs.Candidate).ToList();

    private static MetricComparison Of(string metric, RegressionOutcome outcome) =>
        new(metric, 10, true, 0.5, 0.5, 0, 1, 0, 0, 0.05, outcome, metric);
}
