using Twin.Observability.Experiments;
using Xunit;

namespace Twin.Observability.Tests.Experiments;

/// <summary>
/// The A/B statistics against reference values: Welch's examples 1 and 2 of Wikipedia's "Welch's t-test" (t, ν and p
/// as published; t and ν to more places from the formula), the two-proportion z-test and chi-square tail computed with
/// the closed forms (erfc; e^(−x/2) for 2 degrees of freedom), and the coverage of the 95 % interval by simulation.
/// </summary>
public sealed class AbTestStatisticsTests
{
    [Fact]
    public void Welch_matches_the_published_example_with_unequal_sizes_and_variances()
    {
        var a = AbTestStatistics.Summarize([27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]);
        var b = AbTestStatistics.Summarize([27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]);

        var welch = AbTestStatistics.Welch(a, b);

        Assert.Equal(2.455356398, welch.Statistic!.Value, 6);
        Assert.Equal(24.98852929, welch.DegreesOfFreedom!.Value, 5);
        Assert.Equal(0.021, welch.PValue!.Value, 3);
        Assert.True(welch.Low > 0 && welch.High > welch.Low);
    }

    [Fact]
    public void Welch_matches_the_published_example_with_ten_and_twenty_samples()
    {
        var a = AbTestStatistics.Summarize([17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8]);
        var b = AbTestStatistics.Summarize([21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8]);

        var welch = AbTestStatistics.Welch(a, b);

        Assert.Equal(1.565433524, welch.Statistic!.Value, 6);
        Assert.Equal(9.904741249, welch.DegreesOfFreedom!.Value, 5);
        Assert.Equal(0.149, welch.PValue!.Value, 3);
        Assert.True(welch.Low < 0 && welch.High > 0, "a difference that is not significant has an interval around 0");
    }

    [Fact]
    public void Two_proportions_match_the_z_test()
    {
        var control = AbTestStatistics.SummarizeRate(100, 30);
        var variant = AbTestStatistics.SummarizeRate(100, 45);

        var z = AbTestStatistics.TwoProportions(control, variant);

        Assert.Equal(0.15, z.Difference, 10);
        Assert.Equal(2.19089023002066, z.Statistic!.Value, 9);
        Assert.Equal(0.02845973691631, z.PValue!.Value, 9);
    }

    [Theory]
    [InlineData(new long[] { 5100, 4900 }, new[] { 0.5, 0.5 }, 4.0, 0.0455002638963584, false)]
    [InlineData(new long[] { 5300, 4700 }, new[] { 0.5, 0.5 }, 36.0, 1.9731752900754e-09, true)]
    [InlineData(new long[] { 3550, 3300, 3150 }, new[] { 0.34, 0.33, 0.33 }, 13.4358288770053, 0.00120905714938650, false)]
    [InlineData(new long[] { 3420, 3300, 3280 }, new[] { 34.0, 33.0, 33.0 }, 0.238859180035645, 0.887426489302660, false)]
    public void Sample_ratio_mismatch_is_the_chi_square_test_flagged_below_one_in_a_thousand(long[] observed, double[] weights, double chiSquare, double p, bool mismatch)
    {
        var check = AbTestStatistics.SampleRatio(observed, weights);

        Assert.Equal(chiSquare, check.ChiSquare, 8);
        Assert.Equal(p, check.PValue, 12);
        Assert.Equal(mismatch, check.Mismatch);
    }

    [Fact]
    public void The_95_percent_interval_covers_the_true_mean_about_95_times_in_100()
    {
        var random = new Random(20261205);
        const int Trials = 4000;
        var covered = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var values = Enumerable.Range(0, 25).Select(_ => 10 + (3 * Gaussian(random))).ToList();
            var summary = AbTestStatistics.Summarize(values);
            if (summary.Low <= 10 && 10 <= summary.High)
            {
                covered++;
            }
        }

        Assert.InRange(covered / (double)Trials, 0.935, 0.965);
    }

    [Fact]
    public void Running_moments_stay_exact_for_large_values_with_small_spread()
    {
        var summary = AbTestStatistics.Summarize([1e9 + 1, 1e9 + 2, 1e9 + 3]);

        Assert.Equal(1e9 + 2, summary.Mean, 6);
        Assert.Equal(1.0, summary.StdDev, 9);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
