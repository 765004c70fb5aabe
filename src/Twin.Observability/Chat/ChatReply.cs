namespace Twin.Observability.Chat;

/// <summary>
/// The answer of a chat endpoint (API.md "Chat"). <see cref="ObservationId"/> is the chat's root observation: with the
/// trace id it names this chat (a caller's trace may hold several), which feedback and scores refer to.
/// </summary>
public sealed record ChatReply(
    string TraceId,
    string ObservationId,
    string ConversationId,
    string Reply,
    string Model,
    ChatUsage Usage,
    decimal? CostUsd,
    long LatencyMs,
    string? PromptName,
    int? PromptVersion);

public sealed record ChatUsage(long InputTokens, long OutputTokens, long TotalTokens);
