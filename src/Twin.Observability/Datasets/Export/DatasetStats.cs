namespace Twin.Observability.Datasets.Export;

/// <summary>What <c>GET /api/manage/datasets/{name}/stats</c> answers: what an export of the dataset would hold.</summary>
public sealed record DatasetStats
{
    public required string Dataset { get; init; }

    public long Items { get; init; }

    /// <summary>Items that are an example (a user message and a reply).</summary>
    public long Examples { get; init; }

    public IReadOnlyDictionary<string, long> Unreadable { get; init; } = new Dictionary<string, long>();

    /// <summary>Items of the dataset's set of rejected turns (the non-preferred side of preference pairs).</summary>
    public long RejectedItems { get; init; }

    /// <summary>Pairs a preference export without a pair score would write.</summary>
    public long PreferencePairs { get; init; }

    public required DuplicateStats Duplicates { get; init; }

    public IReadOnlyDictionary<string, ScoreStats> Scores { get; init; } = new Dictionary<string, ScoreStats>();

    public IReadOnlyList<FormatStats> Formats { get; init; } = [];

    /// <summary>The encoding tokens are counted in.</summary>
    public string Tokenizer { get; init; } = TokenCounter.Encoding;
}

/// <summary>
/// Examples whose prompt repeats an earlier one: <see cref="Exact"/> word for word (case and spacing aside),
/// <see cref="NearDuplicate"/> with the same content words (what keeps prompts on one side of a split).
/// </summary>
public sealed record DuplicateStats(long Exact, long NearDuplicate);

/// <summary>One score over the dataset's examples; <see cref="Histogram"/> counts scores in tenths from 0 to 1.</summary>
public sealed record ScoreStats(long Count, double Mean, double Min, double Max, IReadOnlyList<long> Histogram);

/// <summary>How an export in one format would look: examples it would write, the ones its rules refuse, and their tokens.</summary>
public sealed record FormatStats
{
    public required string Format { get; init; }

    public long Valid { get; init; }

    public IReadOnlyDictionary<string, long> Invalid { get; init; } = new Dictionary<string, long>();

    public required TokenStats Tokens { get; init; }
}

/// <summary>Tokens of the examples a format would write: system prompts, user messages (history's included) and replies (rejected ones too).</summary>
public sealed record TokenStats(long System, long User, long Assistant)
{
    public long Total => System + User + Assistant;
}
