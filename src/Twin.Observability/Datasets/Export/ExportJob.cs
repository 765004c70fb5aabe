using System.Text.Json.Serialization;

namespace Twin.Observability.Datasets.Export;

/// <summary>An export as <c>GET /api/manage/datasets/exports/{id}</c> reports it: queued, running with progress, or done.</summary>
public sealed record ExportJob
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    public required string Id { get; init; }

    public required string Dataset { get; init; }

    public required string Format { get; init; }

    public required string Status { get; init; }

    /// <summary>The export's folder in the <c>exports</c> container, fixed when it is accepted so a rerun writes the same files.</summary>
    public required string Folder { get; init; }

    /// <summary>How many items the dataset held when the export was accepted (at most <c>maxItems</c>).</summary>
    public long Total { get; init; }

    /// <summary>Items read so far.</summary>
    public long Processed { get; init; }

    public ExportResult? Result { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    [JsonIgnore]
    public ExportPlan Plan { get; init; } = null!;

    [JsonIgnore]
    public string? ETag { get; init; }

    public bool IsDone => Status is Succeeded or Failed;
}
