using Twin.Observability.Twins;

namespace Twin.Observability.Evaluation;

/// <summary>What a judge sees of one chat turn: the twin's persona and rules, the user's message, the reply and the knowledge retrieved for it.</summary>
public sealed record JudgeInput(
    string TwinId,
    string TwinName,
    string Persona,
    PersonaRules Rules,
    string Message,
    string Reply,
    IReadOnlyList<string> Knowledge);
