namespace Twin.Observability.Metrics;

/// <summary>
/// One score's values in a rollup: count, sum and a ten-bin histogram over [0, 1] (bin i holds [i/10, (i+1)/10), the
/// last also 1), which is how the judges score. Values outside [0, 1] count in the nearest bin. Mergeable by addition.
/// </summary>
public sealed class ScoreSummary
{
    public const int BinCount = 10;

    public long Count { get; private set; }

    public double Sum { get; private set; }

    public long[] Bins { get; } = new long[BinCount];

    public double Mean => Count == 0 ? double.NaN : Sum / Count;

    public void Add(double value, long count = 1)
    {
        Count += count;
        Sum += value * count;
        Bins[BinOf(value)] += count;
    }

    public void Merge(ScoreSummary other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Count += other.Count;
        Sum += other.Sum;
        for (var i = 0; i < BinCount; i++)
        {
            Bins[i] += other.Bins[i];
        }
    }

    public static ScoreSummary From(long count, double sum, IReadOnlyList<long> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (bins.Count != BinCount)
        {
            throw new FormatException($"A score summary has {BinCount} bins, not {bins.Count}.");
        }

        var summary = new ScoreSummary { Count = count, Sum = sum };
        for (var i = 0; i < BinCount; i++)
        {
            summary.Bins[i] = bins[i];
        }

        return summary;
    }

    public static int BinOf(double value) => double.IsNaN(value) ? 0 : Math.Clamp((int)Math.Floor(value * BinCount), 0, BinCount - 1);
}
