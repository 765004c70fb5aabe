using MathNet.Numerics.Distributions;

namespace Twin.Observability.Experiments;

/// <summary>
/// The tests an A/B result rests on: Welch's t-test for the difference of two means (unequal variances), a
/// two-proportion z-test for rates (pooled standard error for the test, unpooled for the interval), 95 % intervals, and
/// the chi-square goodness-of-fit test of observed assignment counts against the weights (sample-ratio mismatch).
/// Distributions come from MathNet.Numerics.
/// </summary>
public static class AbTestStatistics
{
    public const double Confidence = 0.95;

    /// <summary>A sample-ratio mismatch is flagged below this p-value, as is usual: a real SRM gives far smaller ones.</summary>
    public const double SrmAlpha = 0.001;

    /// <param name="m2">The sum of squared deviations from the mean (Welford's running form, which stays exact where sum-of-squares cancels).</param>
    public static SampleSummary Summarize(long n, double mean, double m2)
    {
        if (n == 0)
        {
            return new SampleSummary(0, 0, 0, 0, 0);
        }

        var sd = n > 1 ? Math.Sqrt(Math.Max(0, m2 / (n - 1))) : 0;
        var half = n > 1 ? StudentT.InvCDF(0, 1, n - 1, 0.5 + (Confidence / 2)) * sd / Math.Sqrt(n) : 0;
        return new SampleSummary(n, mean, sd, mean - half, mean + half);
    }

    /// <summary>Summarises raw values (tests and small samples).</summary>
    public static SampleSummary Summarize(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var running = new RunningMoments();
        foreach (var value in values)
        {
            running.Add(value);
        }

        return Summarize(running.N, running.Mean, running.M2);
    }

    /// <summary>The Wilson score interval of a proportion: sound for small counts and rates near 0 or 1.</summary>
    public static SampleSummary SummarizeRate(long n, long successes)
    {
        if (n == 0)
        {
            return new SampleSummary(0, 0, 0, 0, 0);
        }

        var p = (double)successes / n;
        var z = Normal.InvCDF(0, 1, 0.5 + (Confidence / 2));
        var denominator = 1 + (z * z / n);
        var centre = (p + (z * z / (2 * n))) / denominator;
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z * z / (4.0 * n * n))) / denominator;
        return new SampleSummary(n, p, Math.Sqrt(p * (1 - p)), centre - half, centre + half);
    }

    /// <summary>Welch's t-test of <paramref name="b"/> against <paramref name="a"/>: difference b − a, its interval, t, degrees of freedom, two-sided p.</summary>
    public static Comparison Welch(SampleSummary a, SampleSummary b)
    {
        var difference = b.Mean - a.Mean;
        if (a.N < 2 || b.N < 2)
        {
            return new Comparison(difference, null, null, null, null, null);
        }

        var va = a.StdDev * a.StdDev / a.N;
        var vb = b.StdDev * b.StdDev / b.N;
        var se = Math.Sqrt(va + vb);
        if (se == 0)
        {
            // No spread on either side: the difference is exact, so it is certain (p 0) unless there is none (p 1).
            return new Comparison(difference, difference, difference, null, null, difference == 0 ? 1 : 0);
        }

        var df = (va + vb) * (va + vb) / ((va * va / (a.N - 1)) + (vb * vb / (b.N - 1)));
        var t = difference / se;
        var p = 2 * (1 - StudentT.CDF(0, 1, df, Math.Abs(t)));
        var half = StudentT.InvCDF(0, 1, df, 0.5 + (Confidence / 2)) * se;
        return new Comparison(difference, difference - half, difference + half, t, df, p);
    }

    /// <summary>The two-proportion z-test of <paramref name="b"/> against <paramref name="a"/> (their means are the rates).</summary>
    public static Comparison TwoProportions(SampleSummary a, SampleSummary b)
    {
        var difference = b.Mean - a.Mean;
        if (a.N == 0 || b.N == 0)
        {
            return new Comparison(difference, null, null, null, null, null);
        }

        var pooled = ((a.Mean * a.N) + (b.Mean * b.N)) / (a.N + b.N);
        var pooledSe = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / a.N) + (1.0 / b.N)));
        var se = Math.Sqrt((a.Mean * (1 - a.Mean) / a.N) + (b.Mean * (1 - b.Mean) / b.N));
        var z = pooledSe == 0 ? 0 : difference / pooledSe;
        var p = pooledSe == 0 ? 1 : 2 * (1 - Normal.CDF(0, 1, Math.Abs(z)));
        var half = Normal.InvCDF(0, 1, 0.5 + (Confidence / 2)) * se;
        return new Comparison(difference, difference - half, difference + half, z, null, p);
    }

    /// <summary>The chi-square goodness-of-fit of observed counts to the weights' expectation.</summary>
    public static SampleRatioCheck SampleRatio(IReadOnlyList<long> observed, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(weights);
        var total = observed.Sum();
        var weightSum = weights.Sum();
        var expected = weights.Select(w => total * w / weightSum).ToArray();
        if (total == 0 || observed.Count < 2)
        {
            return new SampleRatioCheck(observed, expected, 0, 1, false);
        }

        var chiSquare = observed.Select((o, i) => (o - expected[i]) * (o - expected[i]) / expected[i]).Sum();
        var p = 1 - ChiSquared.CDF(observed.Count - 1, chiSquare);
        return new SampleRatioCheck(observed, expected, chiSquare, p, p < SrmAlpha);
    }
}

/// <summary>Count, mean and squared deviations of a stream of values, updated one value at a time (Welford).</summary>
public sealed class RunningMoments
{
    public long N { get; private set; }

    public double Mean { get; private set; }

    public double M2 { get; private set; }

    public void Add(double value)
    {
        N++;
        var delta = value - Mean;
        Mean += delta / N;
        M2 += delta * (value - Mean);
    }
}

/// <summary>A sample's size, mean, standard deviation and 95 % interval of the mean (of the rate, for rates).</summary>
public sealed record SampleSummary(long N, double Mean, double StdDev, double Low, double High);

/// <summary>
/// A variant against the control: the difference of means (or rates), its 95 % interval, the statistic (t or z),
/// Welch's degrees of freedom, the two-sided p-value. Null where the samples are too small to say.
/// </summary>
public sealed record Comparison(double Difference, double? Low, double? High, double? Statistic, double? DegreesOfFreedom, double? PValue);

/// <summary>Observed and expected units per variant; a mismatch (p &lt; 0.001) means the assignment is broken and the results are not to be trusted.</summary>
public sealed record SampleRatioCheck(IReadOnlyList<long> Observed, IReadOnlyList<double> Expected, double ChiSquare, double PValue, bool Mismatch);
