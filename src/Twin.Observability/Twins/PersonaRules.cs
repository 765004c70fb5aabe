namespace Twin.Observability.Twins;

/// <summary>
/// The rules of a twin's persona that the persona audit checks each reply against. Defaults describe what a digital
/// twin of a person should do unless configured otherwise: speak as that person, never claim to be an AI.
/// </summary>
public sealed record PersonaRules
{
    /// <summary>The twin speaks in the first person ("I", "my"), as the person it represents.</summary>
    public bool FirstPerson { get; init; } = true;

    /// <summary>The twin may say it is an AI, a bot or a language model; off by default.</summary>
    public bool MayDiscloseAi { get; init; }

    /// <summary>Topics the twin must not give advice on (it may decline them), e.g. "medical", "legal", "financial".</summary>
    public IReadOnlyList<string> ForbiddenTopics { get; init; } = [];

    /// <summary>The voice in words ("warm and brief"); judged by an LLM judge only, as no heuristic can hear a voice.</summary>
    public string? Voice { get; init; }

    /// <summary>An upper bound on the reply's length in words, when the voice demands brevity; null: no bound.</summary>
    public int? MaxReplyWords { get; init; }

    public static PersonaRules Default { get; } = new();
}
