using System.Globalization;

namespace Twin.Observability.Evaluation;

/// <summary>
/// Relevance without an LLM: how much of what the user asked about the reply takes up.
/// <list type="bullet">
/// <item>Coverage = share of the message's content terms (stop words dropped, plurals and -ing/-ed folded) that also
/// occur in the reply; the score starts at √coverage, so answering one of two asked-about things already scores 0.71.</item>
/// <item>Evasive sentences ("I don't know", "I can't help with that") cost up to 80% of the score, in proportion to
/// their share of the reply's sentences: a reply that only evades keeps 20% of its coverage score.</item>
/// <item>A reply that declines a question on one of the twin's forbidden topics (and gives no advice on it) does what
/// the persona asks, so it scores at least 0.6, the floor the LLM judge is given for such replies.</item>
/// <item>An empty reply scores 0; a message with no content terms (a greeting) gives overlap nothing to go on, so a
/// non-empty reply gets a neutral 0.5 before the evasion penalty.</item>
/// </list>
/// Lexical overlap misses paraphrase ("twelve years" answering "how long"); the LLM judge is the better judge when
/// one is configured.
/// </summary>
public sealed class HeuristicRelevanceJudge : IJudge
{
    private const double NeutralScore = 0.5;
    private const double MaxEvasionPenalty = 0.8;
    private const double FittingDeclineScore = 0.6;

    public string Name => ScoreNames.Relevance;

    public Task<JudgeVerdict> JudgeAsync(JudgeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        var verdict = Judge(input.Message, input.Reply);
        return Task.FromResult(
            verdict.Score < FittingDeclineScore && ForbiddenTopicCheck.DeclinedTopic(PersonaRuleNames.Topics(input.Rules), input.Message, input.Reply) is { } topic
                ? verdict with
                {
                    Score = FittingDeclineScore,
                    Comment = $"The message asks for {topic} advice, which the twin must not give, and the reply declines it: a fitting answer. {verdict.Comment}",
                }
                : verdict);
    }

    private JudgeVerdict Judge(string message, string reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return Verdict(0, "The reply is empty, so it answers nothing.");
        }

        var asked = JudgeText.TermWords(message);
        var answered = JudgeText.Terms(reply);
        var sentences = JudgeText.Sentences(reply);
        var evasive = sentences.Count(Evasion.IsEvasive);
        var evasionFactor = 1 - (MaxEvasionPenalty * evasive / Math.Max(sentences.Count, 1));

        string coverageText;
        double baseScore;
        if (asked.Count == 0)
        {
            baseScore = NeutralScore;
            coverageText = "The message has no content words to look for in the reply, so overlap gives a neutral score.";
        }
        else
        {
            var covered = asked.Where(t => answered.Contains(t.Key)).Select(t => t.Value).Order(StringComparer.Ordinal).ToList();
            var missing = asked.Where(t => !answered.Contains(t.Key)).Select(t => t.Value).Order(StringComparer.Ordinal).ToList();
            baseScore = Math.Sqrt((double)covered.Count / asked.Count);
            coverageText = string.Create(
                CultureInfo.InvariantCulture,
                $"The reply takes up {covered.Count} of the message's {asked.Count} content words") +
                (covered.Count > 0 ? $" ({string.Join(", ", covered)})" : "") +
                (missing.Count > 0 ? $"; missing: {string.Join(", ", missing)}." : ".");
        }

        var evasionText = evasive == 0
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $" {evasive} of its {sentences.Count} sentences {(evasive == 1 ? "evades" : "evade")} the question.");
        return Verdict(baseScore * evasionFactor, coverageText + evasionText);
    }

    private JudgeVerdict Verdict(double score, string comment) => new()
    {
        Name = Name,
        Method = JudgeMethods.Heuristic,
        Score = Math.Round(Math.Clamp(score, 0, 1), 3),
        Comment = comment,
    };
}
