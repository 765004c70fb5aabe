namespace Twin.Observability.Experiments;

/// <summary>What <c>GET /api/manage/ab-tests/{id}</c> answers: the test and its results so far.</summary>
public sealed record AbTestReport(AbTest Test, AbTestResults Results);

/// <summary>
/// The results of a test from the ledger rows of its chats: units and chats per variant, the sample-ratio check,
/// the primary metric with the verdict, and the secondary metrics.
/// </summary>
public sealed record AbTestResults
{
    /// <summary><c>collecting</c>, <c>no difference</c>, <c>{variant} wins</c> or <c>SRM — results invalid</c>.</summary>
    public required string Verdict { get; init; }

    /// <summary>The significance level each variant is judged at: 0.05 shared among the comparisons with the control (Bonferroni).</summary>
    public double Alpha { get; init; }

    public required IReadOnlyList<VariantCounts> Variants { get; init; }

    public required SampleRatioCheck SampleRatio { get; init; }

    public required MetricResult Primary { get; init; }

    public IReadOnlyList<MetricResult> Secondary { get; init; } = [];

    public DateTimeOffset From { get; init; }

    public DateTimeOffset To { get; init; }
}

/// <summary>How many units (users, visitors, share tokens) and chats a variant got.</summary>
public sealed record VariantCounts(string Name, double Weight, long Units, long Chats);

/// <summary>One metric per variant; each non-control variant compared with the control (the first).</summary>
public sealed record MetricResult(string Metric, bool LowerIsBetter, IReadOnlyList<VariantMetric> Variants);

/// <summary>
/// A variant's sample of a metric and, for all but the control, its difference from the control (with interval and
/// p-value) and the relative lift (difference ÷ the control's mean; null when that mean is 0).
/// </summary>
public sealed record VariantMetric(string Variant, SampleSummary Sample, Comparison? VsControl, double? RelativeLift);
