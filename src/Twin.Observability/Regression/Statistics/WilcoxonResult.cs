namespace Twin.Observability.Regression.Statistics;

/// <summary>
/// The outcome of a Wilcoxon signed-rank test on paired differences (candidate − baseline).
/// <see cref="N"/> counts the non-zero differences only (zeros are dropped, Wilcoxon's method);
/// <see cref="WPlus"/> and <see cref="WMinus"/> are the rank sums of the positive and negative differences (ties get
/// average ranks, so they may be half-integers; <c>WPlus + WMinus = N(N+1)/2</c>). <see cref="Z"/> is null when the
/// p-value is exact and the continuity- and tie-corrected normal score otherwise (positive: candidate higher).
/// <see cref="PValue"/> is two-sided.
/// </summary>
public sealed record WilcoxonResult(int N, double WPlus, double WMinus, double? Z, double PValue)
{
    public bool IsExact => Z is null;
}
