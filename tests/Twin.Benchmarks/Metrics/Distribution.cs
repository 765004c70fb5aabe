namespace Twin.Benchmarks.Metrics;

/// <summary>Median, 95th percentile (nearest rank) and minimum of repeated timings, in milliseconds.</summary>
internal readonly record struct Distribution(double Median, double P95, double Min)
{
    public static Distribution Of(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return new(median, sorted[(int)Math.Ceiling(0.95 * sorted.Length) - 1], sorted[0]);
    }
}
