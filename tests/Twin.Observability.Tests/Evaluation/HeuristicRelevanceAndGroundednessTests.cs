using Twin.Observability.Evaluation;
using Twin.Observability.Twins;
using Xunit;

namespace Twin.Observability.Tests.Evaluation;

public sealed class HeuristicRelevanceAndGroundednessTests
{
    private static readonly string[] Knowledge =
    [
        "I have built observability backends for twelve years, mostly on Azure and .NET.",
        "Outside work I climb, and I bake sourdough bread every weekend.",
    ];

    [Fact]
    public async Task An_empty_reply_is_not_relevant()
    {
        var verdict = await Relevance("How long have you built observability backends?", "  ");

        Assert.Equal(0, verdict.Score);
        Assert.Contains("empty", verdict.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Taking_up_every_asked_about_word_is_fully_relevant_and_the_comment_lists_them()
    {
        var verdict = await Relevance("Do you bake sourdough?", "I bake sourdough every weekend.");

        Assert.Equal(1.0, verdict.Score);
        Assert.Contains("2 of the message's 2 content words (bake, sourdough)", verdict.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evading_costs_relevance_even_with_the_same_words()
    {
        var answer = await Relevance("Do you bake sourdough?", "I bake sourdough every weekend.");
        var evasion = await Relevance("Do you bake sourdough?", "Sourdough? I'd rather not say whether I bake.");

        Assert.True(evasion.Score < answer.Score);
        Assert.Contains("evade", evasion.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declining_a_forbidden_topic_is_a_fitting_answer_but_advising_on_it_earns_no_such_floor()
    {
        var rules = new PersonaRules { ForbiddenTopics = ["financial"] };
        const string message = "Should I put my savings into Bitcoin?";
        var decline = await new HeuristicRelevanceJudge().JudgeAsync(Input(message, "I'm a baker, not a financial adviser: please ask one!", Knowledge) with { Rules = rules }, CancellationToken.None);
        var noRule = await new HeuristicRelevanceJudge().JudgeAsync(Input(message, "I'm a baker, not a financial adviser: please ask one!", Knowledge), CancellationToken.None);

        Assert.Equal(0.6, decline.Score);
        Assert.StartsWith("The message asks for financial advice", decline.Comment, StringComparison.Ordinal);
        Assert.True(noRule.Score < 0.6);
    }

    [Fact]
    public async Task A_greeting_gives_overlap_nothing_to_go_on_so_relevance_is_neutral()
    {
        var verdict = await Relevance("Hi!", "Hi, lovely to meet you.");

        Assert.Equal(0.5, verdict.Score);
    }

    [Fact]
    public async Task A_reply_copied_from_the_knowledge_is_fully_grounded()
    {
        var verdict = await Groundedness(Knowledge[0], Knowledge);

        Assert.Equal(1.0, verdict.Score);
        Assert.Equal("100% of the reply's content is supported by the knowledge.", verdict.Comment);
    }

    [Fact]
    public async Task The_comment_quotes_the_least_supported_sentence_and_its_unsupported_words()
    {
        var verdict = await Groundedness("I have built observability backends for twelve years. I also won a Nobel prize.", Knowledge);

        Assert.InRange(verdict.Score!.Value, 0.4, 0.8);
        Assert.Contains("Least supported: \"I also won a Nobel prize.\"", verdict.Comment, StringComparison.Ordinal);
        Assert.Contains("not in the knowledge: nobel, prize", verdict.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Facts_from_two_snippets_in_one_sentence_are_not_credited_as_one_snippet_saying_them()
    {
        var split = await Groundedness("I build observability backends on Azure. I bake sourdough bread every weekend.", Knowledge);
        var stitched = await Groundedness("I bake observability backends on Azure every weekend.", Knowledge);

        Assert.True(stitched.Score < split.Score);
    }

    [Fact]
    public async Task Claims_with_no_knowledge_to_check_against_score_low_and_the_comment_says_why()
    {
        var verdict = await Groundedness("I have built observability backends for twelve years.", []);

        Assert.Equal(0, verdict.Score);
        Assert.Contains("No knowledge was retrieved", verdict.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_that_only_says_it_does_not_know_claims_nothing_and_is_not_penalised()
    {
        var verdict = await Groundedness("I don't know.", []);

        Assert.Equal(1.0, verdict.Score);
        Assert.Contains("no claims", verdict.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heuristic_judges_observe_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var input = Input("Do you bake?", "I do.", Knowledge);

        foreach (var judge in JudgePanel.Heuristic().Judges)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => judge.JudgeAsync(input, cancelled.Token));
        }
    }

    private static Task<JudgeVerdict> Relevance(string message, string reply) =>
        new HeuristicRelevanceJudge().JudgeAsync(Input(message, reply, Knowledge), CancellationToken.None);

    private static Task<JudgeVerdict> Groundedness(string reply, string[] knowledge) =>
        new HeuristicGroundednessJudge().JudgeAsync(Input("Tell me about your work.", reply, knowledge), CancellationToken.None);

    private static JudgeInput Input(string message, string reply, string[] knowledge) =>
        new(DemoTwin.Id, DemoTwin.Definition.Name, DemoTwin.Definition.Persona, PersonaRules.Default, message, reply, knowledge);
}
