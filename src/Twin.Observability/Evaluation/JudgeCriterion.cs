namespace Twin.Observability.Evaluation;

/// <summary>
/// What an <see cref="LlmJudge"/> scores: the score name, the instructions that define the scale, and whether it is
/// the persona audit (which must also list the rules the reply broke). The three criteria live in <see cref="JudgePrompts"/>.
/// </summary>
/// <param name="Name">The score name, one of <see cref="ScoreNames"/>.</param>
/// <param name="Instructions">What to judge and how to map it onto 0..1.</param>
/// <param name="AuditsRules">True for the persona audit: the answer carries the names of the broken rules.</param>
public sealed record JudgeCriterion(string Name, string Instructions, bool AuditsRules = false);
