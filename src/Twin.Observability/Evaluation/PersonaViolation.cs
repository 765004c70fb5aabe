namespace Twin.Observability.Evaluation;

/// <summary>A persona rule the reply broke: its stable name (<see cref="PersonaRuleNames"/>) and what happened, in words.</summary>
internal sealed record PersonaViolation(string Rule, string Description);
