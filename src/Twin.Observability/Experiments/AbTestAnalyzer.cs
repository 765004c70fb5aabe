using Twin.Observability.Ledger;

namespace Twin.Observability.Experiments;

/// <summary>
/// Turns the ledger rows of a test's chats into its results. Each metric keeps only running sums per variant (count,
/// sum, sum of squares), so the rows stream by; units are counted distinct for the sample-ratio check, because a
/// chatty user would otherwise look like a skewed split.
/// </summary>
public sealed class AbTestAnalyzer
{
    public const double FamilyAlpha = 0.05;

    private readonly AbTest _test;
    private readonly Dictionary<string, int> _index;
    private readonly HashSet<string>[] _units;
    private readonly long[] _chats;
    private readonly Dictionary<string, RunningMoments[]> _metrics = new(StringComparer.Ordinal);

    public AbTestAnalyzer(AbTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        _test = test;
        _index = test.Variants.Select((v, i) => (v.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        _units = [.. test.Variants.Select(_ => new HashSet<string>(StringComparer.Ordinal))];
        _chats = new long[test.Variants.Count];
        foreach (var metric in new[] { test.PrimaryMetric }.Concat(test.SecondaryMetrics).Distinct(StringComparer.Ordinal))
        {
            _metrics[metric] = [.. test.Variants.Select(_ => new RunningMoments())];
        }
    }

    public void Add(LedgerEntry row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Experiment != _test.Id || row.Variant is null || !_index.TryGetValue(row.Variant, out var i))
        {
            return;
        }

        _units[i].Add(row.UserId ?? row.TraceId);
        _chats[i]++;
        foreach (var (metric, accumulators) in _metrics)
        {
            if (ValueOf(metric, row) is { } value)
            {
                accumulators[i].Add(value);
            }
        }
    }

    public AbTestResults Build(DateTimeOffset from, DateTimeOffset to)
    {
        var weights = _test.Variants.Select(v => v.Weight).ToList();
        var srm = AbTestStatistics.SampleRatio([.. _units.Select(u => (long)u.Count)], weights);
        var alpha = FamilyAlpha / Math.Max(1, _test.Variants.Count - 1);
        var primary = Result(_test.PrimaryMetric);
        return new AbTestResults
        {
            Verdict = Verdict(primary, srm, alpha),
            Alpha = alpha,
            Variants = [.. _test.Variants.Select((v, i) => new VariantCounts(v.Name, v.Weight, _units[i].Count, _chats[i]))],
            SampleRatio = srm,
            Primary = primary,
            Secondary = [.. _test.SecondaryMetrics.Where(m => m != _test.PrimaryMetric).Distinct(StringComparer.Ordinal).Select(Result)],
            From = from,
            To = to,
        };
    }

    private string Verdict(MetricResult primary, SampleRatioCheck srm, double alpha)
    {
        if (srm.Mismatch)
        {
            return "SRM — results invalid";
        }

        if (primary.Variants.Any(v => v.Sample.N < _test.MinSamples))
        {
            return "collecting";
        }

        bool Better(VariantMetric v) => v.VsControl is { PValue: { } p } c && p < alpha && (primary.LowerIsBetter ? c.Difference < 0 : c.Difference > 0);
        bool Worse(VariantMetric v) => v.VsControl is { PValue: { } p } c && p < alpha && (primary.LowerIsBetter ? c.Difference > 0 : c.Difference < 0);
        var challengers = primary.Variants.Skip(1).ToList();
        var winners = challengers.Where(Better).ToList();
        if (winners.Count > 0)
        {
            var best = primary.LowerIsBetter ? winners.MinBy(v => v.Sample.Mean)! : winners.MaxBy(v => v.Sample.Mean)!;
            return $"{best.Variant} wins";
        }

        return challengers.Count > 0 && challengers.All(Worse) ? $"{primary.Variants[0].Variant} wins" : "no difference";
    }

    private MetricResult Result(string metric)
    {
        var accumulators = _metrics[metric];
        var rate = AbTestMetrics.IsRate(metric);
        var samples = accumulators.Select(a => rate ? AbTestStatistics.SummarizeRate(a.N, (long)Math.Round(a.Mean * a.N)) : AbTestStatistics.Summarize(a.N, a.Mean, a.M2)).ToList();
        var control = samples[0];
        var variants = _test.Variants.Select((v, i) =>
        {
            if (i == 0)
            {
                return new VariantMetric(v.Name, samples[i], null, null);
            }

            var comparison = rate ? AbTestStatistics.TwoProportions(control, samples[i]) : AbTestStatistics.Welch(control, samples[i]);
            return new VariantMetric(v.Name, samples[i], comparison, control.Mean == 0 ? null : comparison.Difference / Math.Abs(control.Mean));
        }).ToList();
        return new MetricResult(metric, AbTestMetrics.LowerIsBetter(metric), variants);
    }

    private static double? ValueOf(string metric, LedgerEntry row) => metric switch
    {
        // A caller who hung up is no error of the variant, nor a success: the chat is left out of the rate.
        AbTestMetrics.ErrorRate => row.Status == LedgerStatuses.Cancelled ? null : row.Status == LedgerStatuses.Ok ? 0 : 1,
        AbTestMetrics.LatencyMs => row.Status == "ok" ? row.LatencyMs : null,
        AbTestMetrics.CostUsd => row.Status == "ok" && row.CostUsd is { } cost ? (double)cost : null,
        _ => row.Scores.TryGetValue(metric, out var score) ? score : null,
    };
}
