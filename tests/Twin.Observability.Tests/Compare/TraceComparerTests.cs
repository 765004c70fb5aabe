using Twin.Observability.Compare;
using Twin.Observability.Ledger;
using Xunit;

namespace Twin.Observability.Tests.Compare;

public sealed class TraceComparerTests
{
    [Fact]
    public void Deltas_are_b_minus_a_over_shared_scores_and_cost_only_when_both_sides_have_one()
    {
        var a = Chat("a", latency: 900, input: 100, output: 40, cost: 0.002m, reply: "I bake sourdough.", scores: new() { ["relevance"] = 0.9, ["groundedness"] = 0.5 });
        var b = Chat("b", latency: 700, input: 120, output: 30, cost: 0.003m, reply: "I bake rye.", scores: new() { ["relevance"] = 0.6, ["persona_consistency"] = 1 });

        var comparison = TraceComparer.Compare(a, b);

        Assert.Equal(-200, comparison.Deltas.LatencyMs);
        Assert.Equal(new TokenCounts(20, -10), comparison.Deltas.Tokens);
        Assert.Equal(0.001m, comparison.Deltas.CostUsd);
        Assert.Equal(new Dictionary<string, double> { ["relevance"] = -0.3 }, comparison.Deltas.Scores);
        Assert.Equal("twin-offline", comparison.A.Model);
        Assert.Equal(new PromptVersionRef("twin-system", 3), comparison.B.Prompt);
        Assert.True(comparison.Reply.Changed);
        Assert.Null(TraceComparer.Compare(a, b with { Entry = b.Entry with { CostUsd = null } }).Deltas.CostUsd);
    }

    [Fact]
    public void A_batch_aggregates_only_its_compared_pairs()
    {
        var a = Chat("a", latency: 100, input: 1, output: 1, cost: null, reply: "same", scores: new() { ["relevance"] = 0.5 });
        var b = Chat("b", latency: 300, input: 1, output: 1, cost: null, reply: "changed", scores: new() { ["relevance"] = 0.7 });
        var c = Chat("c", latency: 200, input: 1, output: 1, cost: null, reply: "same", scores: new());
        PairComparison[] pairs =
        [
            new("a", "b", TraceComparer.Compare(a, b), null),
            new("a", "c", TraceComparer.Compare(a, c), null),
            new("a", "x", null, new PairError(404, "Not found.", "Trace 'x' was not found.")),
        ];

        var aggregates = TraceComparer.Aggregate(pairs);

        Assert.Equal(3, aggregates.Count);
        Assert.Equal(2, aggregates.Compared);
        Assert.Equal(1, aggregates.Failed);
        Assert.Equal(150, aggregates.MeanLatencyDeltaMs);
        Assert.Equal(new ScoreDeltaMean(0.2, 1), aggregates.MeanScoreDeltas["relevance"]);
        Assert.Equal(1, aggregates.RepliesChanged);
    }

    private static ComparedChat Chat(string name, long latency, long input, long output, decimal? cost, string reply, Dictionary<string, double> scores) =>
        new(
            new ChatRef(name, null),
            new LedgerEntry
            {
                TraceId = name,
                ObservationId = "1111111111111111",
                TwinId = "demo",
                Endpoint = "chat",
                Environment = "test",
                Timestamp = DateTimeOffset.UnixEpoch,
                Status = "ok",
                LatencyMs = latency,
                InputTokens = input,
                OutputTokens = output,
                CostUsd = cost,
                Scores = scores,
                Model = "twin-offline",
                PromptName = "twin-system",
                PromptVersion = 3,
            },
            "Hello?",
            reply,
            "ledger");
}
