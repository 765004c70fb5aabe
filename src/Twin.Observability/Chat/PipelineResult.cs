namespace Twin.Observability.Chat;

/// <summary>What the agent graph produced for one message.</summary>
public sealed record PipelineResult(string Reply, string Model, ChatUsage Usage, decimal? CostUsd, string? PromptName, int? PromptVersion);
