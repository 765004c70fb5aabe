namespace Twin.Observability.Langfuse;

/// <summary>
/// A numeric score on an observation of a trace, as <c>POST /api/public/scores</c> takes it. <see cref="Id"/> makes the write
/// idempotent: Langfuse overwrites a score posted again with the same id.
/// </summary>
public sealed record LangfuseScore(
    string Id,
    string TraceId,
    string? ObservationId,
    string Name,
    double Value,
    string? Comment,
    string Environment,
    IReadOnlyDictionary<string, object?> Metadata)
{
    /// <summary><c>NUMERIC</c>, <c>CATEGORICAL</c> (then <see cref="Label"/> is the value Langfuse stores) or <c>BOOLEAN</c>.</summary>
    public string DataType { get; init; } = "NUMERIC";

    public string? Label { get; init; }

    /// <summary>The Langfuse score config the value was checked against.</summary>
    public string? ConfigId { get; init; }
}
