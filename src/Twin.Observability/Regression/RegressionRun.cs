namespace Twin.Observability.Regression;

/// <summary>
/// A regression run as the <c>RegressionRuns</c> table keeps it. <see cref="Status"/>: <c>queued</c> (accepted, items
/// not listed yet), <c>running</c>, <c>finished</c> or <c>failed</c> (it could not start: the dataset vanished).
/// <see cref="Done"/> and <see cref="Failed"/> count items, each once (the result row is the claim).
/// </summary>
public sealed record RegressionRun
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Finished = "finished";
    public const string FailedStatus = "failed";

    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Dataset { get; init; }

    public required string TwinId { get; init; }

    public string? PromptLabel { get; init; }

    public int? PromptVersion { get; init; }

    public string? Model { get; init; }

    public double? Temperature { get; init; }

    public bool FewShot { get; init; } = true;

    public string? Baseline { get; init; }

    public int? MaxItems { get; init; }

    public string Status { get; init; } = Queued;

    public int? Total { get; init; }

    public int Done { get; init; }

    public int Failed { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public string? Error { get; init; }

    public string? ETag { get; init; }

    public bool IsComplete => Total is { } total && Done + Failed >= total;
}
