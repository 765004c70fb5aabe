namespace Twin.Observability.Datasets.Export;

/// <summary>What an export wrote, and what it read but left out.</summary>
public sealed record ExportResult
{
    public required string Dataset { get; init; }

    public required string Format { get; init; }

    public IReadOnlyList<ExportedFile> Files { get; init; } = [];

    /// <summary>Items read from the dataset.</summary>
    public long ItemsRead { get; init; }

    /// <summary>Examples written, over all files.</summary>
    public long Written { get; init; }

    public long BelowMinScore { get; init; }

    public long WithoutPair { get; init; }

    /// <summary>Items that are no example (no user message, no reply), by reason.</summary>
    public IReadOnlyDictionary<string, long> Unreadable { get; init; } = new Dictionary<string, long>();

    /// <summary>Examples the format's rules refused, by rule; none of them was written.</summary>
    public IReadOnlyDictionary<string, long> Invalid { get; init; } = new Dictionary<string, long>();

    /// <summary>True when <c>maxItems</c> stopped the export before the dataset's end.</summary>
    public bool Truncated { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One exported file; <see cref="Url"/> is a read link made when the result is answered, valid until <see cref="ExpiresAt"/>.</summary>
public sealed record ExportedFile
{
    /// <summary><c>train</c> or <c>validation</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Where the file is: <c>exports/{dataset}/{utc-stamp}/{name}.{extension}</c>, the container first.</summary>
    public required string Path { get; init; }

    /// <summary>The blob's name within the <c>exports</c> container.</summary>
    public required string Blob { get; init; }

    public long Items { get; init; }

    public long Bytes { get; init; }

    public required string ContentType { get; init; }

    public Uri? Url { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}
