using System.Text.Json;

namespace Twin.Testing.Fakes.Langfuse;

/// <summary>
/// A score as posted to <c>POST /api/public/scores</c> (the last post of its id). Fields are what the client sent (null
/// when it left them out) except <see cref="Id"/>, which the fake generates when the client sent none.
/// <see cref="Value"/> is a JSON number or string; <see cref="Body"/> is the whole request body.
/// </summary>
public sealed record FakeScore(
    string Id,
    string Name,
    JsonElement Value,
    string? DataType,
    string? TraceId,
    string? ObservationId,
    string? SessionId,
    string? DatasetRunId,
    string? Comment,
    JsonElement? Metadata,
    string? Environment,
    string? ConfigId,
    string? QueueId,
    string? Source,
    JsonElement Body,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The value when it is a JSON number (NUMERIC and BOOLEAN scores), else null.</summary>
    public double? NumericValue => Value.ValueKind == JsonValueKind.Number ? Value.GetDouble() : null;

    /// <summary>The value when it is a JSON string (CATEGORICAL, TEXT and CORRECTION scores), else null.</summary>
    public string? StringValue => Value.ValueKind == JsonValueKind.String ? Value.GetString() : null;

    public override string ToString() =>
        $"score {Name}={Value.GetRawText()} id {Id} trace {TraceId ?? "-"} observation {ObservationId ?? "-"} session {SessionId ?? "-"} ({DataType ?? "no dataType"})";
}
