namespace Twin.Observability.Chat.FewShot;

/// <summary>
/// The choice of few-shot examples among the similar ones: maximal marginal relevance (λ·relevance − (1−λ)·the highest
/// similarity to an example already chosen) within a token budget, after excluding the incoming message itself and its
/// conversation. Ties go to the more relevant, then the earlier example, so a choice is reproducible.
/// </summary>
internal static class MarginalRelevance
{
    /// <summary>Only the most relevant candidates enter maximal marginal relevance, which compares each with every pick.</summary>
    internal const int CandidatePool = 50;

    /// <summary>
    /// Maximal marginal relevance over <paramref name="candidates"/> (already at least the minimum similarity), after the
    /// exclusions; the first pick is the most relevant example.
    /// </summary>
    internal static List<ScoredExample> Pick(FewShotIndex index, List<ScoredExample> candidates, string message, string? conversationId, int max, int tokenBudget, double lambda)
    {
        var key = FewShotExample.KeyOf(message);
        var pool = new PriorityQueue<ScoredExample, (double, int)>(CandidatePool + 1);
        foreach (var candidate in candidates)
        {
            var example = index.Examples[candidate.Index];
            if (string.Equals(example.Key, key, StringComparison.Ordinal)
                || (example.ConversationId is not null && string.Equals(example.ConversationId, conversationId, StringComparison.Ordinal)))
            {
                continue;
            }

            // A min-heap of the best: the weakest (lowest similarity, then latest index) leaves first.
            pool.Enqueue(candidate, (candidate.Similarity, -candidate.Index));
            if (pool.Count > CandidatePool)
            {
                pool.Dequeue();
            }
        }

        var remaining = new List<ScoredExample>(pool.Count);
        while (pool.TryDequeue(out var c, out _))
        {
            remaining.Add(c);
        }

        var picked = new List<ScoredExample>(max);
        var tokens = 0;
        while (picked.Count < max && remaining.Count > 0)
        {
            var best = -1;
            var bestScore = double.NegativeInfinity;
            for (var i = 0; i < remaining.Count; i++)
            {
                var redundancy = 0.0;
                foreach (var p in picked)
                {
                    redundancy = Math.Max(redundancy, index.Similarity(remaining[i].Index, p.Index));
                }

                var score = (lambda * remaining[i].Similarity) - ((1 - lambda) * redundancy);
                if (best < 0 || score > bestScore
                    || (score == bestScore && (remaining[i].Similarity > remaining[best].Similarity
                        || (remaining[i].Similarity == remaining[best].Similarity && remaining[i].Index < remaining[best].Index))))
                {
                    best = i;
                    bestScore = score;
                }
            }

            var chosen = remaining[best];
            remaining.RemoveAt(best);
            var cost = index.Examples[chosen.Index].Tokens;
            if (tokens + cost > tokenBudget)
            {
                continue;
            }

            tokens += cost;
            picked.Add(chosen);
        }

        return picked;
    }
}
