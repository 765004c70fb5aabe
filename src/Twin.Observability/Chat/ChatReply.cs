namespace Twin.Observability.Chat;

/// <summary>The answer of a chat endpoint (API.md "Chat").</summary>
public sealed record ChatReply(
    string TraceId,
    string ConversationId,
    string Reply,
    string Model,
    ChatUsage Usage,
    decimal? CostUsd,
    long LatencyMs,
    string? PromptName,
    int? PromptVersion);

public sealed record ChatUsage(long InputTokens, long OutputTokens, long TotalTokens);
