namespace Twin.Observability.Feedback;

/// <summary>The body of <c>POST /api/chat…/{twinId}/feedback</c>: what the caller thought of one of its replies.</summary>
public sealed record FeedbackRequest
{
    public string? TraceId { get; init; }

    /// <summary>The chat's root observation, when the trace holds several chats (the reply's <c>observationId</c>).</summary>
    public string? ObservationId { get; init; }

    /// <summary>1 thumbs up, −1 thumbs down, 0 neutral, or a rating 1–5.</summary>
    public double? Value { get; init; }

    public string? Comment { get; init; }

    /// <summary>The widget's visitor id (the widget endpoint only), as in its chat requests.</summary>
    public string? VisitorId { get; init; }
}
