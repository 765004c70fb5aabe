namespace Twin.Observability.Regression.Statistics;

/// <summary>
/// Pairs one metric's per-item values from two runs: only items scored in both count (an item new to the candidate or
/// gone from it says nothing about a change), in ordinal item-id order so results are reproducible.
/// </summary>
public static class ItemPairs
{
    public static IReadOnlyList<(string ItemId, double Baseline, double Candidate)> Shared(
        IReadOnlyDictionary<string, double> baseline,
        IReadOnlyDictionary<string, double> candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        return baseline
            .Where(entry => candidate.ContainsKey(entry.Key) && double.IsFinite(entry.Value) && double.IsFinite(candidate[entry.Key]))
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => (entry.Key, entry.Value, candidate[entry.Key]))
            .ToList();
    }
}
