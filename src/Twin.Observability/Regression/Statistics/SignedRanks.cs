namespace Twin.Observability.Regression.Statistics;

/// <summary>
/// Ranks of |differences| with ties sharing their average rank, kept doubled so that averages like 1.5 stay integers
/// (3) for the exact distribution. <see cref="TieGroupSizes"/> lists each group of equal |differences| (size 1 too).
/// </summary>
internal sealed record SignedRanks(int[] DoubledRanks, IReadOnlyList<int> TieGroupSizes)
{
    public static SignedRanks Of(IReadOnlyList<double> differences, double tolerance)
    {
        var n = differences.Count;
        var order = Enumerable.Range(0, n).OrderBy(i => Math.Abs(differences[i])).ToArray();
        var doubled = new int[n];
        var groups = new List<int>();
        var start = 0;
        while (start < n)
        {
            // A group grows while each next |d| is within tolerance of the previous one (sorted, so a chain).
            var end = start + 1;
            while (end < n && Same(Math.Abs(differences[order[end]]), Math.Abs(differences[order[end - 1]]), tolerance))
            {
                end++;
            }

            // Positions start..end−1 hold ranks start+1..end; their average doubled is (start + 1) + end.
            var doubledAverage = start + 1 + end;
            for (var k = start; k < end; k++)
            {
                doubled[order[k]] = doubledAverage;
            }

            groups.Add(end - start);
            start = end;
        }

        return new SignedRanks(doubled, groups);
    }

    private static bool Same(double a, double b, double tolerance) =>
        Math.Abs(a - b) <= tolerance * Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(b)));
}
