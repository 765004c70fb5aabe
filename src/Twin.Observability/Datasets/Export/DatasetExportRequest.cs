namespace Twin.Observability.Datasets.Export;

/// <summary>The body of <c>POST /api/manage/datasets/{name}/export</c>.</summary>
public sealed record DatasetExportRequest
{
    /// <summary>A format of <c>GET /api/manage/datasets/export/formats</c>.</summary>
    public string? Format { get; init; }

    /// <summary>Only items with at least these scores (an item without the score is left out).</summary>
    public Dictionary<string, double>? MinScore { get; init; }

    /// <summary>The share of prompts written to the validation file, 0 to 0.5 (default 0: no validation file).</summary>
    public double? ValidationSplit { get; init; }

    /// <summary>Chooses the split; the same seed gives the same files (default 0).</summary>
    public int? Seed { get; init; }

    /// <summary><c>include</c> (default: the twin's system prompt, as the chat builds it) or <c>omit</c>.</summary>
    public string? SystemPrompt { get; init; }

    public int? MaxItems { get; init; }

    /// <summary>
    /// Preference formats: the score that decides chosen from rejected replies. Without it, the dataset's items are the
    /// chosen replies and its set of rejected turns the rejected ones.
    /// </summary>
    public string? PairScore { get; init; }

    /// <summary>With <see cref="PairScore"/>: replies at or above it are chosen, below it rejected (default 0.5).</summary>
    public double? PairThreshold { get; init; }
}
