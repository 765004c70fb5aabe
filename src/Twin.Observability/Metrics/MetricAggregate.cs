using Twin.Observability.Ledger;

namespace Twin.Observability.Metrics;

/// <summary>
/// What a set of ledger rows adds up to: requests, errors by type, tokens, cost, a latency sketch and per-score
/// summaries. Rollup rows store one each; a query merges them. Latency counts successful requests only: a refusal
/// answered in a millisecond says nothing about how fast chats are, and would pull every percentile down.
/// </summary>
public sealed class MetricAggregate
{
    public long Count { get; private set; }

    public long ErrorCount { get; private set; }

    public SortedDictionary<string, long> ErrorTypes { get; } = new(StringComparer.Ordinal);

    public long InputTokens { get; private set; }

    public long OutputTokens { get; private set; }

    public double CostUsd { get; private set; }

    public LatencySketch Latency { get; private set; } = new();

    public SortedDictionary<string, ScoreSummary> Scores { get; } = new(StringComparer.Ordinal);

    public double ErrorRate => Count == 0 ? 0 : (double)ErrorCount / Count;

    public void Add(LedgerEntry row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Count++;
        if (row.Status == "error")
        {
            ErrorCount++;
            var type = string.IsNullOrEmpty(row.ErrorType) ? "unknown" : row.ErrorType;
            ErrorTypes[type] = ErrorTypes.GetValueOrDefault(type) + 1;
        }
        else
        {
            Latency.Add(Math.Max(0, row.LatencyMs));
        }

        InputTokens += row.InputTokens;
        OutputTokens += row.OutputTokens;
        CostUsd += row.CostUsd is { } cost ? (double)cost : 0;
        foreach (var (name, value) in row.Scores)
        {
            if (!Scores.TryGetValue(name, out var summary))
            {
                Scores[name] = summary = new ScoreSummary();
            }

            summary.Add(value);
        }
    }

    public void Merge(MetricAggregate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Count += other.Count;
        ErrorCount += other.ErrorCount;
        foreach (var (type, count) in other.ErrorTypes)
        {
            ErrorTypes[type] = ErrorTypes.GetValueOrDefault(type) + count;
        }

        InputTokens += other.InputTokens;
        OutputTokens += other.OutputTokens;
        CostUsd += other.CostUsd;
        Latency.Merge(other.Latency);
        foreach (var (name, summary) in other.Scores)
        {
            if (!Scores.TryGetValue(name, out var mine))
            {
                Scores[name] = mine = new ScoreSummary();
            }

            mine.Merge(summary);
        }
    }

    /// <summary>Rebuilds an aggregate from its stored parts (<see cref="RollupRowCodec"/>).</summary>
    public static MetricAggregate Restore(
        long count,
        long errorCount,
        IEnumerable<KeyValuePair<string, long>> errorTypes,
        long inputTokens,
        long outputTokens,
        double costUsd,
        LatencySketch latency,
        IEnumerable<KeyValuePair<string, ScoreSummary>> scores)
    {
        var aggregate = new MetricAggregate
        {
            Count = count,
            ErrorCount = errorCount,
            InputTokens = inputTokens,
            OutputTokens = outputTokens,
            CostUsd = costUsd,
            Latency = latency,
        };
        foreach (var (type, n) in errorTypes)
        {
            aggregate.ErrorTypes[type] = n;
        }

        foreach (var (name, summary) in scores)
        {
            aggregate.Scores[name] = summary;
        }

        return aggregate;
    }
}
