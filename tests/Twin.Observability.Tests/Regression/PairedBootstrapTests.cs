using Twin.Observability.Regression.Statistics;
using Xunit;

namespace Twin.Observability.Tests.Regression;

public sealed class PairedBootstrapTests
{
    [Fact]
    public void The_same_seed_gives_the_same_interval_and_another_seed_a_different_one()
    {
        var (baseline, candidate) = Shifted(seed: 7, n: 60, shift: 0.05, noise: 0.1);

        var first = PairedBootstrap.MeanDifferenceInterval(baseline, candidate);
        var again = PairedBootstrap.MeanDifferenceInterval(baseline, candidate);
        var explicitDefault = PairedBootstrap.MeanDifferenceInterval(baseline, candidate, 0.95, 10_000, 12345);
        var otherSeed = PairedBootstrap.MeanDifferenceInterval(baseline, candidate, seed: 99);

        Assert.Equal(first, again);
        Assert.Equal(first, explicitDefault);
        Assert.Equal(first.MeanDifference, otherSeed.MeanDifference);
        Assert.NotEqual((first.Low, first.High), (otherSeed.Low, otherSeed.High));
    }

    [Fact]
    public void A_clear_shift_lies_inside_the_interval_and_zero_outside()
    {
        var (baseline, candidate) = Shifted(seed: 3, n: 200, shift: 0.1, noise: 0.05);

        var interval = PairedBootstrap.MeanDifferenceInterval(baseline, candidate);

        Assert.Equal(candidate.Zip(baseline, (c, b) => c - b).Average(), interval.MeanDifference, 12);
        Assert.InRange(0.1, interval.Low, interval.High);
        Assert.True(interval.Low > 0.05);
        Assert.True(interval.Low < interval.MeanDifference && interval.MeanDifference < interval.High);
        // About ±1.96 · 0.05 / √200 ≈ ±0.007 wide on each side.
        Assert.InRange(interval.High - interval.Low, 0.008, 0.02);
    }

    [Fact]
    public void Higher_confidence_gives_a_wider_interval()
    {
        var (baseline, candidate) = Shifted(seed: 11, n: 40, shift: -0.02, noise: 0.1);

        var narrow = PairedBootstrap.MeanDifferenceInterval(baseline, candidate, confidence: 0.8);
        var wide = PairedBootstrap.MeanDifferenceInterval(baseline, candidate, confidence: 0.99);

        Assert.True(wide.Low < narrow.Low);
        Assert.True(wide.High > narrow.High);
    }

    [Fact]
    public void A_constant_difference_has_an_interval_of_width_zero()
    {
        var interval = PairedBootstrap.MeanDifferenceInterval([1, 2, 3, 4], [3, 4, 5, 6]);

        Assert.Equal(new BootstrapInterval(2, 2, 2), interval);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentException>(() => PairedBootstrap.MeanDifferenceInterval([], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedBootstrap.MeanDifferenceInterval([1], [2], confidence: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedBootstrap.MeanDifferenceInterval([1], [2], resamples: 0));
    }

    internal static (double[] Baseline, double[] Candidate) Shifted(int seed, int n, double shift, double noise)
    {
        var random = new Random(seed);
        var baseline = Enumerable.Range(0, n).Select(_ => 0.3 + (0.5 * random.NextDouble())).ToArray();
        var candidate = baseline.Select(b => b + shift + (noise * Gaussian(random))).ToArray();
        return (baseline, candidate);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
