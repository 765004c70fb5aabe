namespace Twin.Observability.Chat;

/// <summary>
/// What a non-user run changes in the pipeline: a regression run pins a prompt label or version, a model and a
/// temperature, switches few-shot on or off, and leaves the conversation history alone (its items neither read nor
/// join a conversation).
/// </summary>
public sealed record PipelineOverrides
{
    public static PipelineOverrides None { get; } = new();

    public string? PromptLabel { get; init; }

    public int? PromptVersion { get; init; }

    public string? Model { get; init; }

    public double? Temperature { get; init; }

    public bool FewShot { get; init; } = true;

    public bool UseHistory { get; init; } = true;
}
