using System.Text.Json;

namespace Twin.Testing.Fakes.Langfuse;

/// <summary>A dataset as <see cref="FakeLangfuse"/> stores it (upserted by name).</summary>
public sealed record FakeDataset(
    string Id,
    string Name,
    string? Description,
    JsonElement? Metadata,
    JsonElement? InputSchema,
    JsonElement? ExpectedOutputSchema,
    string ProjectId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A dataset item as <see cref="FakeLangfuse"/> stores it (upserted by id; ids are unique across datasets).</summary>
public sealed record FakeDatasetItem(
    string Id,
    string DatasetId,
    string DatasetName,
    string Status,
    JsonElement? Input,
    JsonElement? ExpectedOutput,
    JsonElement? Metadata,
    string? SourceTraceId,
    string? SourceObservationId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
