namespace Twin.Observability.Chat;

/// <summary>
/// What a run changes in the pipeline: a regression run or an A/B variant pins a prompt (name, label or version), a
/// model and a temperature and switches few-shot on or off; a playground run may bring its own prompt and variables;
/// runs that are not a user's conversation leave the history alone (they neither read nor join one).
/// </summary>
public sealed record PipelineOverrides
{
    public static PipelineOverrides None { get; } = new();

    /// <summary>The prompt to use instead of the configured system prompt (<c>Prompts:SystemPromptName</c>).</summary>
    public string? PromptName { get; init; }

    /// <summary>A prompt given whole (the playground's unsaved prompt); wins over every other prompt setting.</summary>
    public Prompts.PromptTemplate? Prompt { get; init; }

    /// <summary>Variables for the prompt besides the twin's own (<c>twin_name</c>, <c>persona</c>…), which they may replace.</summary>
    public IReadOnlyDictionary<string, string>? Variables { get; init; }

    public string? PromptLabel { get; init; }

    public int? PromptVersion { get; init; }

    public string? Model { get; init; }

    public double? Temperature { get; init; }

    public bool FewShot { get; init; } = true;

    public bool UseHistory { get; init; } = true;
}
