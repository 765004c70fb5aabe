namespace Twin.Observability.Regression.Statistics;

/// <summary>Candidate − baseline per pair, after checking the two runs line up and every value is a number.</summary>
internal static class PairedDifferences
{
    public static double[] Of(IReadOnlyList<double> baseline, IReadOnlyList<double> candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        if (baseline.Count != candidate.Count)
        {
            throw new ArgumentException($"Paired samples need equal lengths, not {baseline.Count} baseline and {candidate.Count} candidate values.", nameof(candidate));
        }

        var differences = new double[baseline.Count];
        for (var i = 0; i < differences.Length; i++)
        {
            // A NaN would silently poison ranks and means; the caller must leave unscored items out instead.
            if (!double.IsFinite(baseline[i]) || !double.IsFinite(candidate[i]))
            {
                throw new ArgumentException($"Pair {i} is not finite (baseline {baseline[i]}, candidate {candidate[i]}).", nameof(candidate));
            }

            differences[i] = candidate[i] - baseline[i];
        }

        return differences;
    }
}
