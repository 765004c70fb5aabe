namespace Twin.Observability.Regression;

/// <summary>The <c>Regression</c> section: how a run is judged against its baseline.</summary>
public sealed class RegressionOptions
{
    public const string SectionName = "Regression";

    /// <summary>The largest drop of each metric that still passes (<c>Regression:Tolerances:relevance</c> = 0.05); 0.05 when unset.</summary>
    public Dictionary<string, double> Tolerances { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The significance level of the paired test.</summary>
    public double Alpha { get; set; } = 0.05;

    /// <summary>Fewer shared items than this make a metric inconclusive.</summary>
    public int MinPairs { get; set; } = 5;

    /// <summary>Items a run may have at most.</summary>
    public int MaxItems { get; set; } = 5_000;

    public bool IsValid() => Alpha is > 0 and < 1 && MinPairs is >= 1 and <= 10_000 && MaxItems is >= 1 and <= 100_000 && Tolerances.Values.All(t => t >= 0 && double.IsFinite(t));
}
