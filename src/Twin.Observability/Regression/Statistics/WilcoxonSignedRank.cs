using MathNet.Numerics.Distributions;

namespace Twin.Observability.Regression.Statistics;

/// <summary>
/// Wilcoxon signed-rank test of paired samples: does the candidate shift away from the baseline? Non-parametric because
/// judge scores in [0, 1] are bounded, lumpy and far from normal, and paired because both runs score the same items.
/// </summary>
public static class WilcoxonSignedRank
{
    /// <summary>Up to this many non-zero pairs the p-value is exact; above it, the normal approximation.</summary>
    public const int ExactMaxPairs = 30;

    /// <summary>
    /// Two |differences| closer than this (relative to their size, absolute below 1) are a tie, and a difference this
    /// small is a zero: 0.9 − 0.8 and 0.8 − 0.7 differ in the last bits of a double but are the same difference.
    /// </summary>
    public const double Tolerance = 1e-12;

    public static WilcoxonResult Test(IReadOnlyList<double> baseline, IReadOnlyList<double> candidate)
    {
        var differences = PairedDifferences.Of(baseline, candidate);

        // Wilcoxon's method: zero differences carry no sign, so they are dropped before ranking (not Pratt's, which
        // ranks them and then discards their ranks). An unchanged item therefore neither helps nor hurts.
        var nonZero = differences.Where(d => !IsZero(d)).ToArray();
        var n = nonZero.Length;
        if (n == 0)
        {
            return new WilcoxonResult(0, 0, 0, null, 1.0);
        }

        var ranking = SignedRanks.Of(nonZero, Tolerance);
        var wPlus = 0.0;
        for (var i = 0; i < n; i++)
        {
            if (nonZero[i] > 0)
            {
                wPlus += ranking.DoubledRanks[i] / 2.0;
            }
        }

        var total = n * (n + 1) / 2.0;
        var wMinus = total - wPlus;
        if (n <= ExactMaxPairs)
        {
            return new WilcoxonResult(n, wPlus, wMinus, null, ExactPValue(ranking.DoubledRanks, (long)Math.Round(2 * wPlus)));
        }

        var (z, p) = NormalApproximation(n, wPlus, ranking.TieGroupSizes);
        return new WilcoxonResult(n, wPlus, wMinus, z, p);
    }

    internal static bool IsZero(double difference) => Math.Abs(difference) <= Tolerance;

    /// <summary>
    /// Exact two-sided p-value under the null (each difference's sign is + or − with probability ½, independently),
    /// conditional on the observed ranks, so ties are handled exactly too. Ranks are doubled to make average ranks
    /// integers; a dynamic programme counts the sign assignments giving each doubled W+; p is the share of them at
    /// least as far from the centre n(n+1)/2 (doubled) as the observed one. The null is symmetric, so this equals
    /// min(1, 2 × one tail).
    /// </summary>
    internal static double ExactPValue(IReadOnlyList<int> doubledRanks, long observedDoubledWPlus)
    {
        var total = doubledRanks.Sum();
        // Counts reach 2^30 at most for 30 pairs; doubles count exactly up to 2^53.
        var counts = new double[total + 1];
        counts[0] = 1;
        var reach = 0;
        foreach (var rank in doubledRanks)
        {
            for (var sum = reach; sum >= 0; sum--)
            {
                if (counts[sum] != 0)
                {
                    counts[sum + rank] += counts[sum];
                }
            }

            reach += rank;
        }

        // Compare 2·T − total, integers, so no rounding decides a boundary case.
        var observedDistance = Math.Abs((2 * observedDoubledWPlus) - total);
        double extreme = 0, all = 0;
        for (var sum = 0; sum <= total; sum++)
        {
            all += counts[sum];
            if (Math.Abs((2L * sum) - total) >= observedDistance)
            {
                extreme += counts[sum];
            }
        }

        return Math.Min(1.0, extreme / all);
    }

    /// <summary>
    /// Normal approximation: mean n(n+1)/4, variance n(n+1)(2n+1)/24 − Σ(t³ − t)/48 over tie groups of size t, and a
    /// continuity correction of ½ towards the mean (never past it).
    /// </summary>
    internal static (double Z, double PValue) NormalApproximation(int n, double wPlus, IReadOnlyList<int> tieGroupSizes)
    {
        var mean = n * (n + 1) / 4.0;
        var tieCorrection = tieGroupSizes.Sum(t => ((double)t * t * t) - t) / 48.0;
        var variance = (n * (n + 1.0) * ((2.0 * n) + 1) / 24.0) - tieCorrection;
        var distance = Math.Max(0, Math.Abs(wPlus - mean) - 0.5);
        var z = Math.Sign(wPlus - mean) * distance / Math.Sqrt(variance);
        var p = Math.Min(1.0, 2 * Normal.CDF(0, 1, -Math.Abs(z)));
        return (z, p);
    }
}
