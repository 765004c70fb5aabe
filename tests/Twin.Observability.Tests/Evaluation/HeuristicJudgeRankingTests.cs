using Twin.Observability.Evaluation;
using Xunit;

namespace Twin.Observability.Tests.Evaluation;

/// <summary>On the curated turns, each heuristic judge prefers the good reply to the bad twin that breaks its criterion.</summary>
public sealed class HeuristicJudgeRankingTests
{
    private static readonly Dictionary<BadKind, IJudge> JudgeFor = new()
    {
        [BadKind.Irrelevant] = new HeuristicRelevanceJudge(),
        [BadKind.Ungrounded] = new HeuristicGroundednessJudge(),
        [BadKind.OffPersona] = new HeuristicPersonaJudge(),
    };

    [Theory]
    [MemberData(nameof(ChatTurnCases.BadReplies), MemberType = typeof(ChatTurnCases))]
    public async Task The_good_reply_scores_above_its_bad_twin_on_the_score_the_twin_breaks(string turnId, int badIndex)
    {
        var turn = ChatTurnCases.Get(turnId);
        var bad = turn.Bad[badIndex];
        var judge = JudgeFor[bad.Kind];

        var good = await judge.JudgeAsync(turn.Good, CancellationToken.None);
        var worse = await judge.JudgeAsync(turn.With(bad), CancellationToken.None);

        Assert.True(
            good.Score > worse.Score,
            $"{judge.Name}: good {good.Score} ({good.Comment}) should beat {bad.Kind} {worse.Score} ({worse.Comment})");
        Assert.Equal(JudgeMethods.Heuristic, worse.Method);
    }

    [Theory]
    [MemberData(nameof(ChatTurnCases.BadReplies), MemberType = typeof(ChatTurnCases))]
    public async Task An_off_persona_twin_is_flagged_with_exactly_the_rules_it_breaks_named_in_the_comment(string turnId, int badIndex)
    {
        var turn = ChatTurnCases.Get(turnId);
        var bad = turn.Bad[badIndex];
        var verdict = await new HeuristicPersonaJudge().JudgeAsync(turn.With(bad), CancellationToken.None);

        if (bad.Kind != BadKind.OffPersona)
        {
            // Irrelevant and ungrounded twins are still spoken in persona: no false alarms.
            Assert.Empty(verdict.Violations);
            return;
        }

        Assert.Equal(bad.Violations.Order(StringComparer.Ordinal), verdict.Violations.Order(StringComparer.Ordinal));
        Assert.True(verdict.Score < 1);
        foreach (var rule in bad.Violations)
        {
            Assert.Contains(rule, verdict.Comment, StringComparison.Ordinal);
            Assert.Contains(PersonaRuleNames.Describe(rule, turn.Good.Rules), verdict.Comment, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(ChatTurnCases.Turns), MemberType = typeof(ChatTurnCases))]
    public async Task Every_good_reply_keeps_the_persona_with_a_full_score(string turnId)
    {
        var verdict = await new HeuristicPersonaJudge().JudgeAsync(ChatTurnCases.Get(turnId).Good, CancellationToken.None);

        Assert.Empty(verdict.Violations);
        Assert.Equal(1.0, verdict.Score);
        Assert.StartsWith("Keeps the persona rules checked", verdict.Comment, StringComparison.Ordinal);
    }
}
