using System.Text.Json.Serialization;
using Twin.Observability.Ledger;

namespace Twin.Observability.Compare;

// What trace comparison answers (API.md "Trace comparison"). Deltas are always b − a.

/// <summary>A chat found for a comparison: its ledger row and its full texts (Langfuse's when the row's were cut).</summary>
public sealed record ComparedChat(ChatRef Ref, LedgerEntry Entry, string? Message, string? Reply, string TextSource);

/// <summary>One run of a word diff: <c>equal</c>, <c>insert</c> (only in b) or <c>delete</c> (only in a).</summary>
public sealed record DiffRun(string Op, string Text);

/// <summary>
/// A word diff and how alike the texts are (2 × equal characters / all characters: 1 identical, 0 nothing shared).
/// Batch answers leave the runs out.
/// </summary>
public sealed record TextDiff(
    double Similarity,
    bool Changed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<DiffRun>? Runs)
{
    public TextDiff WithoutRuns() => this with { Runs = null };
}

/// <summary>One node of the agent graph on both sides; null where the side did not run it.</summary>
public sealed record NodeTimingDelta(string Node, long? AMs, long? BMs, long? DeltaMs);

public sealed record TokenCounts(long Input, long Output);

public sealed record PromptVersionRef(string? Name, int? Version);

/// <summary>One side of a comparison, from its ledger row.</summary>
public sealed record TraceSide(
    string Id,
    string TraceId,
    string ObservationId,
    string TwinId,
    string Endpoint,
    string Environment,
    DateTimeOffset Timestamp,
    long LatencyMs,
    TokenCounts Tokens,
    decimal? CostUsd,
    IReadOnlyDictionary<string, double> Scores,
    string? Model,
    PromptVersionRef Prompt,
    string? Experiment,
    string? Variant,
    string Status,
    string? ErrorType,
    string TextSource);

/// <summary>b − a; cost is null unless both sides have one, scores are those both sides have.</summary>
public sealed record TraceDeltas(long LatencyMs, TokenCounts Tokens, decimal? CostUsd, IReadOnlyDictionary<string, double> Scores);

public sealed record TraceComparison(TraceSide A, TraceSide B, TraceDeltas Deltas, IReadOnlyList<NodeTimingDelta> Nodes, TextDiff Reply, TextDiff Message)
{
    public TraceComparison WithoutDiffRuns() => this with { Reply = Reply.WithoutRuns(), Message = Message.WithoutRuns() };
}

/// <summary>Why one pair of a batch could not be compared (the rest of the batch still is).</summary>
public sealed record PairError(int Status, string Title, string Detail);

/// <summary>One pair of a batch: its comparison, or its error.</summary>
public sealed record PairComparison(
    string A,
    string B,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TraceComparison? Comparison,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PairError? Error);

public sealed record ScoreDeltaMean(double Mean, int Pairs);

/// <summary>
/// Over the pairs that could be compared: their number, the mean latency delta, the mean delta of each score (over the
/// pairs where both sides have it) and how many replies changed.
/// </summary>
public sealed record BatchAggregates(
    int Count,
    int Compared,
    int Failed,
    double? MeanLatencyDeltaMs,
    IReadOnlyDictionary<string, ScoreDeltaMean> MeanScoreDeltas,
    int RepliesChanged);

public sealed record BatchComparison(IReadOnlyList<PairComparison> Pairs, BatchAggregates Aggregates);
