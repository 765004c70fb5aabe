using Twin.Observability.Experiments;
using Twin.Observability.Ledger;
using Xunit;

namespace Twin.Observability.Tests.Experiments;

/// <summary>Verdicts from ledger rows: collecting, a winner with the right sign, no difference, and SRM first of all.</summary>
public sealed class AbTestAnalyzerTests
{
    private static readonly AbTest Test = new()
    {
        Id = "t1",
        Name = "prompt v2",
        TwinId = "ada",
        Variants = [new AbTestVariant { Name = "A" }, new AbTestVariant { Name = "B" }],
        PrimaryMetric = "relevance",
        SecondaryMetrics = ["latency_ms", "error_rate"],
        MinSamples = 30,
        Status = AbTest.Running,
    };

    [Fact]
    public void Under_the_minimum_samples_the_test_is_collecting()
    {
        var results = Analyze(Rows("A", 20, i => 0.5) .Concat(Rows("B", 20, i => 0.9)));

        Assert.Equal("collecting", results.Verdict);
        Assert.Equal([20L, 20L], results.Variants.Select(v => v.Units));
    }

    [Fact]
    public void A_better_variant_wins_with_a_positive_lift_and_a_small_p_value()
    {
        var results = Analyze(Rows("A", 200, i => 0.5 + Noise(i)).Concat(Rows("B", 200, i => 0.6 + Noise(i + 7))));

        Assert.Equal("B wins", results.Verdict);
        var b = results.Primary.Variants[1];
        Assert.True(b.VsControl!.Difference > 0.08);
        Assert.True(b.VsControl.PValue < 0.001);
        Assert.True(b.RelativeLift > 0.15);
        Assert.Null(results.Primary.Variants[0].VsControl);
    }

    [Fact]
    public void The_same_distribution_gives_no_difference()
    {
        var results = Analyze(Rows("A", 200, i => 0.5 + Noise(i)).Concat(Rows("B", 200, i => 0.5 + Noise(i + 3))));

        Assert.Equal("no difference", results.Verdict);
    }

    [Fact]
    public void Lower_is_better_for_latency_and_errors_are_a_rate()
    {
        var test = Test with { PrimaryMetric = "latency_ms", SecondaryMetrics = ["error_rate"] };
        var rows = Rows("A", 100, i => 0, latency: i => 900 + (i % 50)).Concat(Rows("B", 100, i => 0, latency: i => 600 + (i % 50), failEvery: 10));
        var analyzer = new AbTestAnalyzer(test);
        foreach (var row in rows)
        {
            analyzer.Add(row);
        }

        var results = analyzer.Build(default, default);

        Assert.Equal("B wins", results.Verdict);
        var errors = Assert.Single(results.Secondary);
        Assert.Equal("error_rate", errors.Metric);
        Assert.Equal(0.1, errors.Variants[1].Sample.Mean, 10);
        Assert.Equal(90, results.Primary.Variants[1].Sample.N);
    }

    [Fact]
    public void A_chat_whose_caller_hung_up_is_left_out_of_the_error_rate()
    {
        var test = Test with { SecondaryMetrics = ["error_rate"] };
        var analyzer = new AbTestAnalyzer(test);
        var rows = Rows("A", 40, i => 0.5).Concat(Rows("B", 40, i => 0.5))
            .Append(Row("B", "B-user0", 0.5) with { Status = "cancelled", ErrorType = "cancelled", HttpStatus = 499, Scores = new Dictionary<string, double>() });
        foreach (var row in rows)
        {
            analyzer.Add(row);
        }

        var errors = Assert.Single(analyzer.Build(default, default).Secondary);

        Assert.Equal((40L, 0.0), (errors.Variants[1].Sample.N, errors.Variants[1].Sample.Mean));
    }

    [Fact]
    public void A_skewed_split_of_units_is_a_sample_ratio_mismatch_whatever_the_metric()
    {
        var results = Analyze(Rows("A", 700, i => 0.5 + Noise(i)).Concat(Rows("B", 300, i => 0.9 + Noise(i))));

        Assert.True(results.SampleRatio.Mismatch);
        Assert.Equal("SRM — results invalid", results.Verdict);
    }

    [Fact]
    public void Units_are_counted_once_however_often_they_chat()
    {
        var rows = Enumerable.Range(0, 50).SelectMany(u => Enumerable.Range(0, u % 5 == 0 ? 20 : 1).Select(_ => Row("A", "user" + u, 0.5)))
            .Concat(Enumerable.Range(0, 50).Select(u => Row("B", "other" + u, 0.5)));

        var results = Analyze(rows);

        Assert.Equal([50L, 50L], results.Variants.Select(v => v.Units));
        Assert.False(results.SampleRatio.Mismatch);
    }

    private static AbTestResults Analyze(IEnumerable<LedgerEntry> rows)
    {
        var analyzer = new AbTestAnalyzer(Test);
        foreach (var row in rows)
        {
            analyzer.Add(row);
        }

        return analyzer.Build(default, default);
    }

    // Deterministic spread in [-0.1, 0.1].
    private static double Noise(int i) => ((i * 37 % 21) - 10) / 100.0;

    private static IEnumerable<LedgerEntry> Rows(string variant, int count, Func<int, double> score, Func<int, long>? latency = null, int failEvery = 0) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var failed = failEvery > 0 && i % failEvery == 0;
            return Row(variant, $"{variant}-user{i}", score(i)) with
            {
                LatencyMs = latency?.Invoke(i) ?? 1000,
                Status = failed ? "error" : "ok",
                Scores = failed ? new Dictionary<string, double>() : new Dictionary<string, double> { ["relevance"] = score(i) },
            };
        });

    private static LedgerEntry Row(string variant, string user, double relevance) => new()
    {
        TraceId = Guid.NewGuid().ToString("N"),
        ObservationId = "0000000000000001",
        TwinId = "ada",
        Endpoint = "chat",
        Environment = "test",
        Timestamp = DateTimeOffset.UtcNow,
        UserId = user,
        Status = "ok",
        Experiment = "t1",
        Variant = variant,
        Scores = new Dictionary<string, double> { ["relevance"] = relevance },
    };
}
