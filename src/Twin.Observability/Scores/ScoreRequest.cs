using System.Text.Json;

namespace Twin.Observability.Scores;

/// <summary>The body of <c>POST /api/manage/scores</c>: a score computed elsewhere (a conversion, a human review) on a chat.</summary>
public sealed record ScoreRequest
{
    public string? TraceId { get; init; }

    public string? ObservationId { get; init; }

    public string? Name { get; init; }

    /// <summary>A number, a category label, or a boolean, as the score's config says.</summary>
    public JsonElement Value { get; init; }

    public string? Comment { get; init; }

    /// <summary>Makes the write idempotent: the same id again replaces the score. Default: one per chat and score name.</summary>
    public string? Id { get; init; }
}
