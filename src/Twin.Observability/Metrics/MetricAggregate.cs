using Twin.Observability.Ledger;

namespace Twin.Observability.Metrics;

/// <summary>
/// What a set of ledger rows adds up to: requests, errors by type, tokens, cost, a latency sketch and per-score
/// summaries. Rollup rows store one each; a query merges them. Latency counts successful requests only: a refusal
/// answered in a millisecond says nothing about how fast chats are, and would pull every percentile down. A chat whose
/// caller hung up (<see cref="LedgerStatuses.Cancelled"/>) is a request but neither an error nor a latency sample: it
/// ended when the caller left, not when the chat did. A row counts as many requests as its <see cref="LedgerEntry.Count"/>
/// (the refusals of a minute counted into one row): requests, errors and error types; it adds no latency sample, being
/// an error.
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

    /// <summary>Replies that broke each persona rule.</summary>
    public SortedDictionary<string, long> Violations { get; } = new(StringComparer.Ordinal);

    /// <summary>Chats added to each dataset.</summary>
    public SortedDictionary<string, long> DatasetAdds { get; } = new(StringComparer.Ordinal);

    /// <summary>The scores of the chats that joined a dataset (what a fine-tuning set is made of).</summary>
    public SortedDictionary<string, ScoreSummary> DatasetScores { get; } = new(StringComparer.Ordinal);

    public double ErrorRate => Count == 0 ? 0 : (double)ErrorCount / Count;

    public void Add(LedgerEntry row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var requests = Math.Max(1, row.Count);
        Count += requests;
        if (row.Status == LedgerStatuses.Error)
        {
            ErrorCount += requests;
            var type = string.IsNullOrEmpty(row.ErrorType) ? "unknown" : row.ErrorType;
            ErrorTypes[type] = ErrorTypes.GetValueOrDefault(type) + requests;
        }
        else if (row.Status != LedgerStatuses.Cancelled)
        {
            Latency.Add(Math.Max(0, row.LatencyMs));
        }

        InputTokens += row.InputTokens;
        OutputTokens += row.OutputTokens;
        CostUsd += row.CostUsd is { } cost ? (double)cost : 0;
        foreach (var (name, value) in row.Scores)
        {
            Summary(Scores, name).Add(value);
            if (!string.IsNullOrEmpty(row.Dataset))
            {
                Summary(DatasetScores, name).Add(value);
            }
        }

        foreach (var rule in row.Violations)
        {
            Violations[rule] = Violations.GetValueOrDefault(rule) + 1;
        }

        if (!string.IsNullOrEmpty(row.Dataset))
        {
            DatasetAdds[row.Dataset] = DatasetAdds.GetValueOrDefault(row.Dataset) + 1;
        }
    }

    public void Merge(MetricAggregate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Count += other.Count;
        ErrorCount += other.ErrorCount;
        AddCounts(ErrorTypes, other.ErrorTypes);

        InputTokens += other.InputTokens;
        OutputTokens += other.OutputTokens;
        CostUsd += other.CostUsd;
        Latency.Merge(other.Latency);
        foreach (var (name, summary) in other.Scores)
        {
            Summary(Scores, name).Merge(summary);
        }

        foreach (var (name, summary) in other.DatasetScores)
        {
            Summary(DatasetScores, name).Merge(summary);
        }

        AddCounts(Violations, other.Violations);
        AddCounts(DatasetAdds, other.DatasetAdds);
    }

    private static ScoreSummary Summary(SortedDictionary<string, ScoreSummary> scores, string name)
    {
        if (!scores.TryGetValue(name, out var summary))
        {
            scores[name] = summary = new ScoreSummary();
        }

        return summary;
    }

    private static void AddCounts(SortedDictionary<string, long> into, IEnumerable<KeyValuePair<string, long>> counts)
    {
        foreach (var (key, count) in counts)
        {
            into[key] = into.GetValueOrDefault(key) + count;
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
        IEnumerable<KeyValuePair<string, ScoreSummary>> scores,
        IEnumerable<KeyValuePair<string, long>> violations,
        IEnumerable<KeyValuePair<string, long>> datasetAdds,
        IEnumerable<KeyValuePair<string, ScoreSummary>> datasetScores)
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
        AddCounts(aggregate.ErrorTypes, errorTypes);
        AddCounts(aggregate.Violations, violations);
        AddCounts(aggregate.DatasetAdds, datasetAdds);
        foreach (var (name, summary) in scores)
        {
            aggregate.Scores[name] = summary;
        }

        foreach (var (name, summary) in datasetScores)
        {
            aggregate.DatasetScores[name] = summary;
        }

        return aggregate;
    }
}
