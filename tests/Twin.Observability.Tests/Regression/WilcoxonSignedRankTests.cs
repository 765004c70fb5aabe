using MathNet.Numerics.Distributions;
using Twin.Observability.Regression.Statistics;
using Xunit;

namespace Twin.Observability.Tests.Regression;

public sealed class WilcoxonSignedRankTests
{
    [Fact]
    public void The_Wikipedia_example_has_W_9_and_the_exact_p_of_all_2_to_the_9_sign_assignments()
    {
        // Wikipedia, "Wilcoxon signed-rank test", example: x2 − x1 = 15, −7, 5, 20, 0, −9, 17, −12, 5, −10.
        double[] x1 = [110, 122, 125, 120, 140, 124, 123, 137, 135, 145];
        double[] x2 = [125, 115, 130, 140, 140, 115, 140, 125, 140, 135];

        var result = WilcoxonSignedRank.Test(x1, x2);

        // The zero pair is dropped; |d| = 5, 5, 7, 9, 10, 12, 15, 17, 20 rank 1.5, 1.5, 3, ..., 9; W = W+ − W− = 9.
        Assert.Equal(9, result.N);
        Assert.Equal(27, result.WPlus);
        Assert.Equal(18, result.WMinus);
        Assert.Equal(9, result.WPlus - result.WMinus);
        Assert.Null(result.Z);
        Assert.True(result.IsExact);
        double[] ranks = [1.5, 1.5, 3, 4, 5, 6, 7, 8, 9];
        Assert.Equal(BruteForcePValue(ranks, 27), result.PValue, 12);
        Assert.Equal(81.0 / 128, result.PValue, 12);
    }

    [Fact]
    public void Without_ties_the_exact_p_matches_the_table_for_n_10_and_T_8()
    {
        // Differences ±1..±10, negative at ranks 1, 3 and 4: T = W− = 8, the two-sided 5 % critical value for n = 10;
        // P(T ≤ 8) = 25/1024, so p = 50/1024.
        var negative = new HashSet<int> { 1, 3, 4 };
        var candidate = Enumerable.Range(1, 10).Select(i => negative.Contains(i) ? -(double)i : i).ToArray();
        var baseline = new double[10];

        var result = WilcoxonSignedRank.Test(baseline, candidate);

        Assert.Equal(10, result.N);
        Assert.Equal(8, result.WMinus);
        Assert.Equal(47, result.WPlus);
        Assert.Equal(50.0 / 1024, result.PValue, 15);
        Assert.Equal(BruteForcePValue(Enumerable.Range(1, 10).Select(i => (double)i).ToArray(), 47), result.PValue, 15);
    }

    [Theory]
    [InlineData(1, 12)]
    [InlineData(2, 14)]
    [InlineData(3, 16)]
    [InlineData(4, 9)]
    public void With_ties_and_zeros_the_exact_p_equals_enumerating_every_sign_assignment(int seed, int n)
    {
        // Scores in tenths, like a judge's: many tied |differences| and some zeros. The test ranks in integers itself.
        var random = new Random(seed);
        var baselineTenths = Enumerable.Range(0, n).Select(_ => random.Next(0, 11)).ToArray();
        var candidateTenths = baselineTenths.Select(b => Math.Clamp(b + random.Next(-3, 4), 0, 10)).ToArray();
        var baseline = baselineTenths.Select(t => t / 10.0).ToArray();
        var candidate = candidateTenths.Select(t => t / 10.0).ToArray();

        var result = WilcoxonSignedRank.Test(baseline, candidate);

        var d = baselineTenths.Zip(candidateTenths, (b, c) => c - b).Where(x => x != 0).ToArray();
        var ranks = d.Select(x => d.Count(y => Math.Abs(y) < Math.Abs(x)) + ((d.Count(y => Math.Abs(y) == Math.Abs(x)) + 1) / 2.0)).ToArray();
        var wPlus = d.Select((x, i) => x > 0 ? ranks[i] : 0).Sum();
        Assert.Equal(d.Length, result.N);
        Assert.Equal(wPlus, result.WPlus, 9);
        Assert.Equal(ranks.Sum() - wPlus, result.WMinus, 9);
        Assert.Equal(BruteForcePValue(ranks, wPlus), result.PValue, 12);
    }

    [Fact]
    public void Zero_differences_are_dropped_and_do_not_change_the_result()
    {
        double[] baseline = [0.5, 0.6, 0.7, 0.8, 0.2, 0.3, 0.4];
        double[] candidate = [0.5, 0.9, 0.7, 0.4, 0.25, 0.3, 0.6];

        var withZeros = WilcoxonSignedRank.Test(baseline, candidate);
        var withoutZeros = WilcoxonSignedRank.Test([0.6, 0.8, 0.2, 0.4], [0.9, 0.4, 0.25, 0.6]);

        Assert.Equal(4, withZeros.N);
        Assert.Equal(withoutZeros, withZeros);
    }

    [Fact]
    public void Differences_equal_up_to_rounding_are_ties()
    {
        // 0.9 − 0.8, 0.8 − 0.7 and 0.3 − 0.2 are all "0.1" but differ in their last bits as doubles.
        Assert.NotEqual(0.9 - 0.8, 0.8 - 0.7);

        var result = WilcoxonSignedRank.Test([0.8, 0.7, 0.3, 0.0], [0.9, 0.8, 0.2, 0.5]);

        // |d| = 0.1, 0.1, 0.1, 0.5: the three ties share rank 2.
        Assert.Equal(4, result.N);
        Assert.Equal(2 + 2 + 4, result.WPlus);
        Assert.Equal(2, result.WMinus);
    }

    [Fact]
    public void Above_thirty_pairs_without_ties_the_normal_approximation_has_the_textbook_z_and_p()
    {
        var negative = new HashSet<int> { 1, 2, 4, 7, 9, 12, 15, 18, 21, 25, 33 };
        var candidate = Enumerable.Range(1, 40).Select(i => negative.Contains(i) ? -(double)i : i).ToArray();

        var result = WilcoxonSignedRank.Test(new double[40], candidate);

        var wPlus = Enumerable.Range(1, 40).Where(i => !negative.Contains(i)).Sum();
        var mean = 40 * 41 / 4.0;
        var sd = Math.Sqrt(40 * 41 * 81 / 24.0);
        var z = (wPlus - mean - 0.5) / sd;
        Assert.Equal(40, result.N);
        Assert.Equal(wPlus, result.WPlus);
        Assert.NotNull(result.Z);
        Assert.False(result.IsExact);
        Assert.Equal(z, result.Z!.Value, 12);
        Assert.Equal(2 * (1 - Normal.CDF(0, 1, z)), result.PValue, 12);
        // By hand: W+ = 820 − 147 = 673, z = (673 − 410 − 0.5)/√5535 ≈ 3.528, two-sided p ≈ 0.00042.
        Assert.Equal(673, result.WPlus);
        Assert.Equal(147, result.WMinus);
        Assert.InRange(result.Z!.Value, 3.528, 3.529);
        Assert.InRange(result.PValue, 0.00041, 0.00043);
    }

    [Fact]
    public void Above_thirty_pairs_with_ties_the_variance_is_tie_corrected()
    {
        // 60 differences: |d| = 1, 2, 3 twenty times each (average ranks 10.5, 30.5, 50.5), of which 15, 12 and 5 are
        // positive. W+ = 15·10.5 + 12·30.5 + 5·50.5 = 776; mean 915; variance 60·61·121/24 − 3·(20³ − 20)/48.
        var baseline = new List<double>();
        var candidate = new List<double>();
        foreach (var (size, positives) in new[] { (1, 15), (2, 12), (3, 5) })
        {
            for (var k = 0; k < 20; k++)
            {
                baseline.Add(10);
                candidate.Add(10 + (k < positives ? size : -size));
            }
        }

        var result = WilcoxonSignedRank.Test(baseline, candidate);

        var variance = (60 * 61 * 121 / 24.0) - (3 * ((20.0 * 20 * 20) - 20) / 48);
        var z = (776 - 915 + 0.5) / Math.Sqrt(variance);
        Assert.Equal(776, result.WPlus);
        Assert.Equal(z, result.Z!.Value, 12);
        Assert.Equal(2 * Normal.CDF(0, 1, z), result.PValue, 12);
        // Without the tie correction the p-value would be larger (variance larger, |z| smaller).
        var untied = 2 * Normal.CDF(0, 1, (776 - 915 + 0.5) / Math.Sqrt(60 * 61 * 121 / 24.0));
        Assert.True(result.PValue < untied);
    }

    [Fact]
    public void Thirty_pairs_are_exact_and_thirty_one_are_approximated()
    {
        var thirty = WilcoxonSignedRank.Test(new double[30], Enumerable.Range(1, 30).Select(i => (double)i).ToArray());
        var thirtyOne = WilcoxonSignedRank.Test(new double[31], Enumerable.Range(1, 31).Select(i => (double)i).ToArray());

        // All 30 positive: only "all +" and "all −" are as extreme, p = 2 / 2^30.
        Assert.Null(thirty.Z);
        Assert.Equal(2.0 / (1 << 30), thirty.PValue);
        Assert.NotNull(thirtyOne.Z);
        Assert.True(thirtyOne.Z > 4.8);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(45)]
    public void Swapping_baseline_and_candidate_keeps_p_and_swaps_the_rank_sums(int n)
    {
        var random = new Random(n);
        var baseline = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble(), 1)).ToArray();
        var candidate = baseline.Select(b => Math.Round(b + (random.NextDouble() * 0.4) - 0.15, 1)).ToArray();

        var forward = WilcoxonSignedRank.Test(baseline, candidate);
        var backward = WilcoxonSignedRank.Test(candidate, baseline);

        Assert.Equal(forward.PValue, backward.PValue, 12);
        Assert.Equal(forward.WPlus, backward.WMinus, 9);
        Assert.Equal(forward.WMinus, backward.WPlus, 9);
        Assert.Equal(-forward.Z, backward.Z);
    }

    [Fact]
    public void All_equal_or_empty_samples_have_p_one()
    {
        double[] same = [0.7, 0.8, 0.9, 0.7, 0.8];

        var equal = WilcoxonSignedRank.Test(same, same.ToArray());
        var empty = WilcoxonSignedRank.Test([], []);

        Assert.Equal(new WilcoxonResult(0, 0, 0, null, 1.0), equal);
        Assert.Equal(new WilcoxonResult(0, 0, 0, null, 1.0), empty);
    }

    [Fact]
    public void Unequal_lengths_and_non_finite_values_are_refused()
    {
        Assert.Throws<ArgumentException>(() => WilcoxonSignedRank.Test([0.1, 0.2], [0.1]));
        Assert.Throws<ArgumentException>(() => WilcoxonSignedRank.Test([0.1, double.NaN], [0.1, 0.2]));
    }

    /// <summary>Independent check: every one of the 2^n sign assignments, with the same ranks, scored by |W+ − mean|.</summary>
    private static double BruteForcePValue(double[] ranks, double observedWPlus)
    {
        var n = ranks.Length;
        var mean = ranks.Sum() / 2;
        var observed = Math.Abs(observedWPlus - mean);
        var extreme = 0L;
        for (var mask = 0L; mask < 1L << n; mask++)
        {
            var wPlus = 0.0;
            for (var i = 0; i < n; i++)
            {
                if ((mask & (1L << i)) != 0)
                {
                    wPlus += ranks[i];
                }
            }

            if (Math.Abs(wPlus - mean) >= observed - 1e-9)
            {
                extreme++;
            }
        }

        return (double)extreme / (1L << n);
    }
}
