namespace Twin.Observability.Evaluation;

/// <summary>
/// One judge's verdict on one reply: a score in 0..1 with a comment, or — when the judge could not produce a valid
/// score — an error and no score, so nothing made up is ever recorded.
/// </summary>
public sealed record JudgeVerdict
{
    /// <summary><c>relevance</c>, <c>groundedness</c> or <c>persona_consistency</c>.</summary>
    public required string Name { get; init; }

    /// <summary>0..1, higher is better; null when <see cref="Error"/> is set.</summary>
    public double? Score { get; init; }

    /// <summary>The judge's reasoning; the persona audit names each violated rule here.</summary>
    public string Comment { get; init; } = "";

    /// <summary><see cref="JudgeMethods.Heuristic"/> or <see cref="JudgeMethods.Llm"/>.</summary>
    public required string Method { get; init; }

    /// <summary>The judging model, for LLM judges.</summary>
    public string? Model { get; init; }

    /// <summary>Rule names the reply violated (persona audit), empty otherwise.</summary>
    public IReadOnlyList<string> Violations { get; init; } = [];

    /// <summary>Why no score could be given (e.g. the judge's output was not valid JSON twice).</summary>
    public string? Error { get; init; }

    public bool IsError => Error is not null;
}

public static class JudgeMethods
{
    public const string Heuristic = "heuristic";
    public const string Llm = "llm";
}

public static class ScoreNames
{
    public const string Relevance = "relevance";
    public const string Groundedness = "groundedness";
    public const string PersonaConsistency = "persona_consistency";

    public static IReadOnlyList<string> All { get; } = [Relevance, Groundedness, PersonaConsistency];
}
