namespace Twin.Observability.Compare;

/// <summary>Builds a comparison of two found chats, and the aggregates of a batch of them. Pure: no I/O.</summary>
public static class TraceComparer
{
    public static TraceComparison Compare(ComparedChat a, ComparedChat b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var left = a.Entry;
        var right = b.Entry;
        var scores = right.Scores
            .Where(s => left.Scores.ContainsKey(s.Key))
            .ToDictionary(s => s.Key, s => Math.Round(s.Value - left.Scores[s.Key], 6), StringComparer.Ordinal);
        var deltas = new TraceDeltas(
            right.LatencyMs - left.LatencyMs,
            new TokenCounts(right.InputTokens - left.InputTokens, right.OutputTokens - left.OutputTokens),
            left.CostUsd is { } costA && right.CostUsd is { } costB ? costB - costA : null,
            scores);
        return new TraceComparison(
            Side(a),
            Side(b),
            deltas,
            NodeTimingMatcher.Match(left.NodeTimings, right.NodeTimings),
            WordDiff.Of(a.Reply, b.Reply),
            WordDiff.Of(a.Message, b.Message));
    }

    public static BatchAggregates Aggregate(IReadOnlyList<PairComparison> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var compared = pairs.Where(p => p.Comparison is not null).Select(p => p.Comparison!).ToList();
        var scoreDeltas = compared
            .SelectMany(c => c.Deltas.Scores)
            .GroupBy(s => s.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new ScoreDeltaMean(Math.Round(g.Average(s => s.Value), 6), g.Count()), StringComparer.Ordinal);
        return new BatchAggregates(
            pairs.Count,
            compared.Count,
            pairs.Count - compared.Count,
            compared.Count > 0 ? Math.Round(compared.Average(c => (double)c.Deltas.LatencyMs), 2) : null,
            scoreDeltas,
            compared.Count(c => c.Reply.Changed));
    }

    private static TraceSide Side(ComparedChat chat)
    {
        var e = chat.Entry;
        return new TraceSide(
            new ChatRef(e.TraceId, e.ObservationId).ToString(),
            e.TraceId,
            e.ObservationId,
            e.TwinId,
            e.Endpoint,
            e.Environment,
            e.Timestamp,
            e.LatencyMs,
            new TokenCounts(e.InputTokens, e.OutputTokens),
            e.CostUsd,
            e.Scores,
            e.Model,
            new PromptVersionRef(e.PromptName, e.PromptVersion),
            e.Experiment,
            e.Variant,
            e.Status,
            e.ErrorType,
            chat.TextSource);
    }
}
