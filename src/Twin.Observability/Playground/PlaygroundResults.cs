using System.Text.Json.Serialization;
using Twin.Observability.Prompts;

namespace Twin.Observability.Playground;

/// <summary>
/// One playground run: a test's answer, or one cell of a comparison (then <see cref="Variant"/> and <see cref="Input"/>
/// say which). A run that failed has <see cref="Error"/> and no output; scores are empty when the judges were skipped,
/// and <see cref="JudgeErrors"/> says why a judge gave none.
/// </summary>
public sealed record PlaygroundRun
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Variant { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Input { get; init; }

    public required string TraceId { get; init; }

    public required string ObservationId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SessionId { get; init; }

    public required string TwinId { get; init; }

    public string? Output { get; init; }

    public long LatencyMs { get; init; }

    public PlaygroundTokens? Tokens { get; init; }

    /// <summary>Null when the provider reported no usage or the model has no price: unknown, never zero.</summary>
    public decimal? CostUsd { get; init; }

    public string? Model { get; init; }

    public required PlaygroundPromptUsed Prompt { get; init; }

    public IReadOnlyDictionary<string, double> Scores { get; init; } = new Dictionary<string, double>();

    /// <summary><c>heuristic</c> or <c>llm</c>; null when the judges were skipped or the run failed.</summary>
    public string? ScoreMethod { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? JudgeErrors { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PlaygroundError? Error { get; init; }
}

public sealed record PlaygroundTokens(long Input, long Output, long Total);

/// <summary>The prompt a run used: its name and version (null for built-in and inline prompts), the label asked for, and where it came from.</summary>
public sealed record PlaygroundPromptUsed(string Name, int? Version, string? Label, PromptSource Source);

/// <summary>Why a run failed: a <c>ChatErrorTypes</c> type (<c>llm_error</c>, <c>llm_timeout</c>…) and a message safe to show.</summary>
public sealed record PlaygroundError(string Type, string Message);

/// <summary>A comparison: the cells variant by variant (each variant's inputs in order), and each variant's means.</summary>
public sealed record PlaygroundComparison(
    string SessionId,
    IReadOnlyList<PlaygroundVariantSummary> Variants,
    IReadOnlyList<PlaygroundInputView> Inputs,
    IReadOnlyList<PlaygroundRun> Cells);

/// <summary>
/// A variant's settings and its means over the cells that succeeded (failed cells are counted, not averaged; a
/// variant without a succeeded cell has null means). Cost is averaged over the cells whose cost is known.
/// </summary>
public sealed record PlaygroundVariantSummary(
    int Index,
    string Name,
    PlaygroundPromptUsed Prompt,
    string? Model,
    double? Temperature,
    int Cells,
    int Succeeded,
    int Failed,
    double? MeanLatencyMs,
    decimal? MeanCostUsd,
    IReadOnlyDictionary<string, double> MeanScores);

public sealed record PlaygroundInputView(int Index, string Message);
