namespace Twin.Observability.Evaluation;

/// <summary>
/// The <c>evaluations</c> queue message written after each successful chat: everything the judges need, so judging
/// never reads the conversation back, plus the ledger row's timestamp so scores land on that row.
/// </summary>
public sealed record EvaluationRequest
{
    public required string TraceId { get; init; }

    /// <summary>The chat's root observation id; scores target it, and with the trace id it keys the ledger row.</summary>
    public required string ObservationId { get; init; }

    public required string TwinId { get; init; }

    /// <summary>The chat endpoint: <c>chat</c>, <c>chat-widget</c> or <c>public-chat</c>.</summary>
    public required string Endpoint { get; init; }

    public required string Environment { get; init; }

    /// <summary>The chat's ledger row timestamp (with the trace id it is the row's key).</summary>
    public required DateTimeOffset LedgerTimestamp { get; init; }

    public required string Message { get; init; }

    public required string Reply { get; init; }

    /// <summary>The knowledge snippets retrieved for the message, as the model saw them.</summary>
    public IReadOnlyList<string> Knowledge { get; init; } = [];

    public string? Model { get; init; }

    public string? PromptName { get; init; }

    public int? PromptVersion { get; init; }

    public string? ConversationId { get; init; }

    /// <summary>True when texts were cut to fit a queue message: fine to judge, not to keep as a dataset example.</summary>
    public bool Shortened { get; init; }
}
