namespace Twin.Observability.Regression.Statistics;

/// <summary>
/// How strict a regression run is. A metric fails when its mean drops by more than its tolerance (in the metric's own
/// units: 0.05 of a [0, 1] score by default, so give <c>latency_ms</c> a tolerance in milliseconds) and the drop is
/// significant at <see cref="Alpha"/>; fewer than <see cref="MinPairs"/> shared items decide nothing.
/// </summary>
public sealed record RegressionPolicy
{
    public const double DefaultTolerance = 0.05;

    public double Alpha { get; init; } = 0.05;

    public int MinPairs { get; init; } = 5;

    /// <summary>Metric → largest allowed drop; metrics not listed get <see cref="DefaultTolerance"/>.</summary>
    public IReadOnlyDictionary<string, double> Tolerances { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Metric → whether higher is better, overriding the naming convention of <see cref="HigherIsBetter"/>.</summary>
    public IReadOnlyDictionary<string, bool> Directions { get; init; } = new Dictionary<string, bool>(StringComparer.Ordinal);

    /// <summary>Bootstrap settings for the reported interval; fixed seed so a verdict is reproducible.</summary>
    public double Confidence { get; init; } = PairedBootstrap.DefaultConfidence;

    public int BootstrapResamples { get; init; } = PairedBootstrap.DefaultResamples;

    public int BootstrapSeed { get; init; } = PairedBootstrap.DefaultSeed;

    public double ToleranceFor(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return Tolerances.TryGetValue(metric, out var tolerance) ? tolerance : DefaultTolerance;
    }

    /// <summary>
    /// Judge scores are better higher; durations (<c>…_ms</c>) and costs (<c>…cost_usd</c>) are better lower, unless
    /// <see cref="Directions"/> says otherwise.
    /// </summary>
    public bool HigherIsBetter(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (Directions.TryGetValue(metric, out var higher))
        {
            return higher;
        }

        return !(metric.EndsWith("_ms", StringComparison.Ordinal) || metric.EndsWith("cost_usd", StringComparison.Ordinal));
    }

    internal void Validate()
    {
        if (!(Alpha > 0 && Alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "Alpha must lie strictly between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MinPairs, 1, nameof(MinPairs));
        foreach (var (metric, tolerance) in Tolerances)
        {
            if (!(tolerance >= 0) || double.IsPositiveInfinity(tolerance))
            {
                throw new ArgumentOutOfRangeException(nameof(Tolerances), tolerance, $"The tolerance of {metric} must be a finite number ≥ 0.");
            }
        }
    }
}
