using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Chat;

/// <summary>The <c>Chat</c> section: limits and defaults of the chat endpoints.</summary>
public sealed class TwinChatOptions
{
    public const string SectionName = "Chat";

    [Range(1, 100_000)]
    public int MaxMessageLength { get; set; } = 4_000;

    /// <summary>Largest chat request body; beyond it the answer is 413.</summary>
    [Range(1_024, 1_048_576)]
    public int MaxBodyBytes { get; set; } = 32_768;

    /// <summary>Earlier turns (user and twin messages) sent to the model with each message.</summary>
    [Range(0, 100)]
    public int HistoryTurns { get; set; } = 10;

    /// <summary>Knowledge snippets retrieved per message.</summary>
    [Range(0, 20)]
    public int KnowledgeSnippets { get; set; } = 3;

    [Range(1, 100_000)]
    public int MaxReplyLength { get; set; } = 8_000;

    /// <summary>Queue every successful chat on <c>evaluations</c> for the judges (relevance, groundedness, persona audit).</summary>
    public bool Evaluate { get; set; } = true;

    /// <summary>Environment label of chat traces and ledger rows (Langfuse environment).</summary>
    public string? Environment { get; set; }
}
