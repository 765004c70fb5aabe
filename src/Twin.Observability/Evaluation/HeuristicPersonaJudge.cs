using System.Globalization;

namespace Twin.Observability.Evaluation;

/// <summary>
/// The persona audit without an LLM: rule checks on the reply, each violation costing its rule's weight.
/// <list type="table">
/// <item><term><c>no_ai_disclosure</c> (0.6)</term><description>claims to be an AI, a bot or a language model (<see cref="AiDisclosureCheck"/>).</description></item>
/// <item><term><c>forbidden_topic:TOPIC</c> (0.6 each)</term><description>gives advice on a forbidden topic; declining or referring on is fine (<see cref="ForbiddenTopicCheck"/>).</description></item>
/// <item><term><c>first_person</c> (0.4)</term><description>speaks of the twin in the third person (<see cref="FirstPersonCheck"/>).</description></item>
/// <item><term><c>max_reply_words</c> (0.2)</term><description>longer than the rules allow.</description></item>
/// </list>
/// Score = 1 − the sum of the weights, floored at 0: pretending to be someone else's AI or advising on a forbidden
/// topic costs more than a long reply. The voice is not checked: no heuristic can hear it, so the comment says so.
/// </summary>
public sealed class HeuristicPersonaJudge : IJudge
{
    public string Name => ScoreNames.PersonaConsistency;

    public Task<JudgeVerdict> JudgeAsync(JudgeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        var violations = Violations(input).ToList();
        var score = Math.Max(0, 1 - violations.Sum(v => Weight(v.Rule)));
        return Task.FromResult(new JudgeVerdict
        {
            Name = Name,
            Method = JudgeMethods.Heuristic,
            Score = Math.Round(score, 3),
            Violations = violations.Select(v => v.Rule).ToList(),
            Comment = Comment(input, violations),
        });
    }

    private static IEnumerable<PersonaViolation> Violations(JudgeInput input)
    {
        var rules = input.Rules;
        if (!rules.MayDiscloseAi && AiDisclosureCheck.Check(input.Reply) is { } disclosure)
        {
            yield return disclosure;
        }

        foreach (var advice in ForbiddenTopicCheck.Check(PersonaRuleNames.Topics(rules), input.Reply))
        {
            yield return advice;
        }

        if (rules.FirstPerson && FirstPersonCheck.Check(input.TwinName, input.Reply) is { } thirdPerson)
        {
            yield return thirdPerson;
        }

        if (rules.MaxReplyWords is { } max && JudgeText.WordCount(input.Reply) is var words && words > max)
        {
            yield return new PersonaViolation(
                PersonaRuleNames.MaxReplyWords,
                string.Create(CultureInfo.InvariantCulture, $"is {words} words long, over the limit of {max}"));
        }
    }

    private static double Weight(string rule) => rule switch
    {
        PersonaRuleNames.NoAiDisclosure => 0.6,
        PersonaRuleNames.FirstPerson => 0.4,
        PersonaRuleNames.MaxReplyWords => 0.2,
        _ when rule.StartsWith(PersonaRuleNames.ForbiddenTopicPrefix, StringComparison.Ordinal) => 0.6,
        _ => 0.2,
    };

    private static string Comment(JudgeInput input, List<PersonaViolation> violations)
    {
        var checkedRules = PersonaRuleNames.Applicable(input.Rules).Where(r => r != PersonaRuleNames.Voice).ToList();
        var comment = violations.Count == 0
            ? checkedRules.Count == 0
                ? "No persona rules apply that a heuristic can check."
                : $"Keeps the persona rules checked ({string.Join(", ", checkedRules)})."
            : string.Join(" ", violations.Select(v => $"Breaks the rule to {PersonaRuleNames.Describe(v.Rule, input.Rules)} ({v.Rule}): the reply {v.Description}."));
        return string.IsNullOrWhiteSpace(input.Rules.Voice)
            ? comment
            : comment + " The voice is not checked by heuristics; only an LLM judge can judge it.";
    }
}
