namespace Twin.Observability.Chat;

/// <summary>What the agent graph produced for one message.</summary>
public sealed record PipelineResult(
    string Message,
    string Reply,
    string Model,
    ChatUsage Usage,
    decimal? CostUsd,
    string? PromptName,
    int? PromptVersion,
    IReadOnlyList<string> Knowledge,
    NodeTimings Timings);
