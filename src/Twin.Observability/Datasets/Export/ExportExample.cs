namespace Twin.Observability.Datasets.Export;

/// <summary>
/// One training example as every export format sees it: an optional system prompt, earlier turns, the user's message
/// and the reply to learn. <see cref="Rejected"/> is set only for preference formats: the non-preferred reply to the
/// same prompt.
/// </summary>
public sealed record ExportExample
{
    public required string Id { get; init; }

    public string? System { get; init; }

    /// <summary>Earlier messages of the conversation, oldest first, each <c>user</c> or <c>assistant</c>.</summary>
    public IReadOnlyList<ExportMessage> History { get; init; } = [];

    public required string User { get; init; }

    public required string Assistant { get; init; }

    public string? Rejected { get; init; }

    public IReadOnlyDictionary<string, double> Scores { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    public string? SourceTraceId { get; init; }

    public string? SourceObservationId { get; init; }

    public string? TwinId { get; init; }

    public string? PromptName { get; init; }

    public int? PromptVersion { get; init; }

    public string? Model { get; init; }
}

/// <summary>A message of an example's history: <see cref="Role"/> is <c>user</c> or <c>assistant</c>.</summary>
public sealed record ExportMessage(string Role, string Content)
{
    public const string UserRole = "user";
    public const string AssistantRole = "assistant";
}
