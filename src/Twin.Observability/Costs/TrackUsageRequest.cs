namespace Twin.Observability.Costs;

/// <summary>
/// <c>POST /api/manage/costs/track</c>: LLM usage from outside the chat (a batch job), recorded as a ledger row with
/// endpoint <c>external</c>. The same <see cref="IdempotencyKey"/> twice records one row.
/// </summary>
public sealed record TrackUsageRequest
{
    public string? Model { get; init; }

    public long? InputTokens { get; init; }

    public long? OutputTokens { get; init; }

    /// <summary>Of <see cref="InputTokens"/>, those read from the provider's prompt cache.</summary>
    public long? CachedInputTokens { get; init; }

    public string? TwinId { get; init; }

    /// <summary>The usage's trace (32 hex digits), when the job traced it; else a new id.</summary>
    public string? TraceId { get; init; }

    public string? IdempotencyKey { get; init; }

    /// <summary>When the usage happened (priced at that time); now when not given.</summary>
    public DateTimeOffset? Timestamp { get; init; }
}
