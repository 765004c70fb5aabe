namespace Twin.Observability.Ledger;

/// <summary>One traced request, as the ledger keeps it (DESIGN.md §3).</summary>
public sealed record LedgerEntry
{
    public required string TraceId { get; init; }

    /// <summary>The chat's root observation (span) id: with the trace id it identifies the chat.</summary>
    public required string ObservationId { get; init; }

    /// <summary>The twin's id, or <c>(unknown)</c>/<c>(invalid)</c> when the request named no twin (<see cref="Twins.TwinIdLabels"/>).</summary>
    public required string TwinId { get; init; }

    /// <summary>The hash of the twin id the request named when <see cref="TwinId"/> is a label (<see cref="Twins.TwinIdLabels.HashOf"/>).</summary>
    public string? TwinIdHash { get; init; }

    /// <summary>
    /// How many requests the row stands for: 1, or the refusals of one key and minute counted into one row
    /// (<see cref="Chat.ChatRefusals"/>). Metrics sum it.
    /// </summary>
    public long Count { get; init; } = 1;

    /// <summary><c>chat</c>, <c>chat-widget</c>, <c>public-chat</c> (later also regression, playground, synthetic).</summary>
    public required string Endpoint { get; init; }

    public required string Environment { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public long LatencyMs { get; init; }

    public string? UserId { get; init; }

    public string? ConversationId { get; init; }

    public string? Model { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public decimal? CostUsd { get; init; }

    /// <summary><c>ok</c> or <c>error</c>.</summary>
    public required string Status { get; init; }

    public int HttpStatus { get; init; }

    public string? ErrorType { get; init; }

    public string? PromptName { get; init; }

    public int? PromptVersion { get; init; }

    /// <summary>The A/B test the chat ran in and the variant it got (empty outside a test).</summary>
    public string? Experiment { get; init; }

    public string? Variant { get; init; }

    /// <summary>Milliseconds per node of the agent graph, as compact JSON (<see cref="Chat.NodeTimings"/>).</summary>
    public string? NodeTimings { get; init; }

    /// <summary>The start of the user's message (<c>Ledger:TextChars</c>), for search.</summary>
    public string? Message { get; init; }

    /// <summary>The start of the reply (<c>Ledger:TextChars</c>), for search.</summary>
    public string? Reply { get; init; }

    /// <summary>The judges' scores by name (0..1), once the evaluation ran.</summary>
    public IReadOnlyDictionary<string, double> Scores { get; init; } = new Dictionary<string, double>();

    /// <summary><c>heuristic</c> or <c>llm</c>: how the scores were made.</summary>
    public string? ScoreMethod { get; init; }

    /// <summary>Persona rules the reply violated, by the persona audit.</summary>
    public IReadOnlyList<string> Violations { get; init; } = [];

    /// <summary>The dataset the chat was added to after judging, if any.</summary>
    public string? Dataset { get; init; }

    /// <summary>Judges that could not score, with why (never replaced by a made-up score).</summary>
    public string? JudgeErrors { get; init; }
}
