namespace Twin.Observability.Regression.Statistics;

/// <summary>
/// Percentile bootstrap of the mean paired difference. Resampling pairs (not the two runs separately) keeps each item's
/// difficulty in both arms, which is what makes a paired interval narrow. Seeded, so the same inputs always give the
/// same interval: a regression verdict must not flip on a re-run.
/// </summary>
public static class PairedBootstrap
{
    public const double DefaultConfidence = 0.95;

    public const int DefaultResamples = 10_000;

    public const int DefaultSeed = 12345;

    public static BootstrapInterval MeanDifferenceInterval(
        IReadOnlyList<double> baseline,
        IReadOnlyList<double> candidate,
        double confidence = DefaultConfidence,
        int resamples = DefaultResamples,
        int seed = DefaultSeed)
    {
        var differences = PairedDifferences.Of(baseline, candidate);
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence must lie strictly between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        var n = differences.Length;
        if (n == 0)
        {
            throw new ArgumentException("A bootstrap needs at least one pair.", nameof(baseline));
        }

        var mean = differences.Average();
        // System.Random with a seed is a fixed algorithm (Net5CompatSeedImpl), stable across runs and platforms.
        var random = new Random(seed);
        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var sum = 0.0;
            for (var k = 0; k < n; k++)
            {
                sum += differences[random.Next(n)];
            }

            means[r] = sum / n;
        }

        Array.Sort(means);
        var tail = (1 - confidence) / 2;
        return new BootstrapInterval(mean, Quantile(means, tail), Quantile(means, 1 - tail));
    }

    /// <summary>Linear interpolation between order statistics (R's type 7, the default of R and NumPy).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
