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
    int? PromptVersion,
    ChatExperiment? Experiment = null);

/// <summary>The A/B test a chat joined and the variant that answered it.</summary>
public sealed record ChatExperiment(string Id, string Variant);

public sealed record ChatUsage(long InputTokens, long OutputTokens, long TotalTokens);
