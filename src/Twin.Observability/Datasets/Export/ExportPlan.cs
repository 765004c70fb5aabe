namespace Twin.Observability.Datasets.Export;

/// <summary>A checked export request: what to read, how to filter and split it, and in which format to write it.</summary>
public sealed record ExportPlan
{
    public required string Dataset { get; init; }

    public required string Format { get; init; }

    public IReadOnlyDictionary<string, double> MinScore { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    public double ValidationSplit { get; init; }

    public int Seed { get; init; }

    public bool IncludeSystemPrompt { get; init; } = true;

    public int MaxItems { get; init; }

    public string? PairScore { get; init; }

    public double PairThreshold { get; init; } = 0.5;
}
