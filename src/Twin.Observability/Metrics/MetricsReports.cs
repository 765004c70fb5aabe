namespace Twin.Observability.Metrics;

/// <summary>The JSON answers of the metrics routes (API.md "Metrics"), built from a <see cref="MetricsSlice"/>.</summary>
public static class MetricsReports
{
    public static LatencyReport Latency(MetricsSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        var total = LatencyStats.Of(slice.Total.Latency);
        return new LatencyReport(
            Header.Of(slice),
            total,
            slice.Buckets.Select(b => new LatencyPoint(b.Start, LatencyStats.Of(b.Aggregate.Latency))).ToList());
    }

    public static ErrorReport Errors(MetricsSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        return new ErrorReport(
            Header.Of(slice),
            slice.Total.Count,
            slice.Total.ErrorCount,
            Round(slice.Total.ErrorRate, 4),
            slice.Total.ErrorTypes,
            slice.Buckets.Select(b => new ErrorPoint(b.Start, b.Aggregate.Count, b.Aggregate.ErrorCount, Round(b.Aggregate.ErrorRate, 4), b.Aggregate.ErrorTypes)).ToList());
    }

    public static QualityReport Quality(MetricsSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        return new QualityReport(Header.Of(slice), ScoreReports(slice, a => a.Scores));
    }

    /// <summary>The persona audit: its score, and the rules broken most, with their share of audited replies.</summary>
    public static PersonaReport Persona(MetricsSlice slice, string scoreName)
    {
        ArgumentNullException.ThrowIfNull(slice);
        var audited = slice.Total.Scores.TryGetValue(scoreName, out var summary) ? summary.Count : 0;
        return new PersonaReport(
            Header.Of(slice),
            audited,
            ScoreReports(slice, a => a.Scores).GetValueOrDefault(scoreName),
            slice.Total.Violations
                .OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal)
                .Select(v => new RuleCount(v.Key, v.Value, audited == 0 ? null : Math.Round((double)v.Value / audited, 4)))
                .ToList());
    }

    /// <summary>What joined the datasets: per dataset with a series, and the scores of the chats that joined.</summary>
    public static DatasetReport Dataset(MetricsSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        return new DatasetReport(
            Header.Of(slice),
            slice.Total.DatasetAdds.Values.Sum(),
            slice.Total.DatasetAdds.Select(d => new DatasetAdditions(
                d.Key,
                d.Value,
                slice.Buckets.Select(b => new CountPoint(b.Start, b.Aggregate.DatasetAdds.GetValueOrDefault(d.Key))).ToList())).ToList(),
            ScoreReports(slice, a => a.DatasetScores));
    }

    private static SortedDictionary<string, ScoreReport> ScoreReports(MetricsSlice slice, Func<MetricAggregate, SortedDictionary<string, ScoreSummary>> scoresOf)
    {
        var reports = new SortedDictionary<string, ScoreReport>(StringComparer.Ordinal);
        foreach (var (name, summary) in scoresOf(slice.Total))
        {
            reports[name] = new ScoreReport(
                summary.Count,
                Mean(summary),
                summary.Bins.Select((count, i) => new ScoreBin(i / (double)ScoreSummary.BinCount, (i + 1) / (double)ScoreSummary.BinCount, count)).ToList(),
                slice.Buckets.Select(b => scoresOf(b.Aggregate).TryGetValue(name, out var s) ? new ScorePoint(b.Start, s.Count, Mean(s)) : new ScorePoint(b.Start, 0, null)).ToList());
        }

        return reports;
    }

    public static DashboardMetrics Dashboard(MetricsSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        var total = slice.Total;
        return new DashboardMetrics(
            Header.Of(slice),
            total.Count,
            total.ErrorCount,
            Round(total.ErrorRate, 4),
            LatencyStats.Of(total.Latency),
            new TokenTotals(total.InputTokens, total.OutputTokens, total.InputTokens + total.OutputTokens),
            Round(total.CostUsd, 6),
            total.Scores.ToDictionary(s => s.Key, s => new ScoreMean(s.Value.Count, Mean(s.Value)), StringComparer.Ordinal),
            slice.Buckets.Select(b => new DashboardPoint(
                b.Start,
                b.Aggregate.Count,
                b.Aggregate.ErrorCount,
                Round(b.Aggregate.ErrorRate, 4),
                Quantile(b.Aggregate.Latency, 0.5),
                Quantile(b.Aggregate.Latency, 0.95),
                b.Aggregate.InputTokens + b.Aggregate.OutputTokens,
                Round(b.Aggregate.CostUsd, 6))).ToList());
    }

    internal static double? Quantile(LatencySketch sketch, double q) => sketch.Count == 0 ? null : Math.Round(sketch.Quantile(q), 1);

    private static double? Mean(ScoreSummary summary) => summary.Count == 0 ? null : Math.Round(summary.Mean, 4);

    private static double Round(double value, int digits) => Math.Round(value, digits);
}

/// <summary>What every metrics answer starts with: the range as resolved, and where its numbers came from.</summary>
public sealed record Header(DateTimeOffset From, DateTimeOffset To, string? TwinId, string Interval, MetricsSource Source)
{
    public static Header Of(MetricsSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        return new(slice.Range.From, slice.Range.To, slice.Range.TwinId, slice.Range.Interval.ToString().ToLowerInvariant(), slice.Source);
    }
}

/// <summary>Latency of successful requests, in milliseconds (percentiles within 1 % of the exact value).</summary>
public sealed record LatencyStats(long Count, double? Mean, double? P50, double? P90, double? P95, double? P99, double? Max)
{
    public static LatencyStats Of(LatencySketch sketch)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        return new(
            sketch.Count,
            sketch.Count == 0 ? null : Math.Round(sketch.Mean, 1),
            MetricsReports.Quantile(sketch, 0.5),
            MetricsReports.Quantile(sketch, 0.9),
            MetricsReports.Quantile(sketch, 0.95),
            MetricsReports.Quantile(sketch, 0.99),
            sketch.Count == 0 ? null : Math.Round(sketch.Max, 1));
    }
}

public sealed record LatencyReport(Header Query, LatencyStats Latency, IReadOnlyList<LatencyPoint> Series);

public sealed record LatencyPoint(DateTimeOffset Start, LatencyStats Latency);

public sealed record ErrorReport(Header Query, long Total, long Errors, double Rate, IReadOnlyDictionary<string, long> ByType, IReadOnlyList<ErrorPoint> Series);

public sealed record ErrorPoint(DateTimeOffset Start, long Total, long Errors, double Rate, IReadOnlyDictionary<string, long> ByType);

public sealed record QualityReport(Header Query, IReadOnlyDictionary<string, ScoreReport> Scores);

public sealed record PersonaReport(Header Query, long Audited, ScoreReport? PersonaConsistency, IReadOnlyList<RuleCount> MostViolatedRules);

/// <summary>A persona rule, how many audited replies broke it, and what share of them that is.</summary>
public sealed record RuleCount(string Rule, long Count, double? Share);

public sealed record DatasetReport(Header Query, long Added, IReadOnlyList<DatasetAdditions> Datasets, IReadOnlyDictionary<string, ScoreReport> Scores);

public sealed record DatasetAdditions(string Name, long Added, IReadOnlyList<CountPoint> Series);

public sealed record CountPoint(DateTimeOffset Start, long Count);

public sealed record ScoreReport(long Count, double? Mean, IReadOnlyList<ScoreBin> Distribution, IReadOnlyList<ScorePoint> Series);

public sealed record ScoreBin(double From, double To, long Count);

public sealed record ScorePoint(DateTimeOffset Start, long Count, double? Mean);

public sealed record DashboardMetrics(
    Header Query,
    long Requests,
    long Errors,
    double ErrorRate,
    LatencyStats Latency,
    TokenTotals Tokens,
    double CostUsd,
    IReadOnlyDictionary<string, ScoreMean> Scores,
    IReadOnlyList<DashboardPoint> Series);

public sealed record TokenTotals(long Input, long Output, long Total);

public sealed record ScoreMean(long Count, double? Mean);

public sealed record DashboardPoint(DateTimeOffset Start, long Requests, long Errors, double ErrorRate, double? LatencyP50, double? LatencyP95, long Tokens, double CostUsd);
