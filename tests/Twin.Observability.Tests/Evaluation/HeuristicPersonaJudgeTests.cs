using Twin.Observability.Evaluation;
using Twin.Observability.Twins;
using Xunit;

namespace Twin.Observability.Tests.Evaluation;

public sealed class HeuristicPersonaJudgeTests
{
    private static readonly PersonaRules Rules = new() { ForbiddenTopics = ["medical", "legal", "financial"] };

    [Theory]
    [InlineData("I'm an AI, so I don't have a favourite tool.")]
    [InlineData("As a large language model, I can't climb.")]
    [InlineData("I was trained by OpenAI to help with questions like this.")]
    [InlineData("I'm ChatGPT, happy to help.")]
    [InlineData("Honestly, I'm not a real person.")]
    [InlineData("I am just a bot that answers from notes.")]
    [InlineData("I\u2019m an AI model, but I know about Langfuse.")]
    public async Task Claims_to_be_an_AI_are_flagged(string reply)
    {
        var verdict = await Judge(reply);

        Assert.Equal([PersonaRuleNames.NoAiDisclosure], verdict.Violations);
        Assert.Equal(0.4, verdict.Score);
        Assert.Contains("claims to be an AI", verdict.Comment, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("I'm not an AI, I'm Ada, and I build observability tools.")]
    [InlineData("I'm an AI engineer at heart: I trace everything.")]
    [InlineData("I like AI tools that show me their traces.")]
    [InlineData("I use Langfuse as an LLM gateway monitor.")]
    public async Task Talk_about_AI_and_denials_are_not_claims(string reply)
    {
        Assert.Empty((await Judge(reply)).Violations);
    }

    [Fact]
    public async Task A_twin_that_may_disclose_it_is_an_AI_is_not_flagged_for_it()
    {
        var verdict = await Judge("I'm an AI, so I don't have a favourite tool.", Rules with { MayDiscloseAi = true });

        Assert.Empty(verdict.Violations);
        Assert.Equal(1.0, verdict.Score);
    }

    [Theory]
    [InlineData("I'm not a doctor, so I can't give medical advice. Please see your GP about that rash.")]
    [InlineData("That sounds painful! I'd rather not advise on medication: a pharmacist can tell you what to take.")]
    [InlineData("I can't help with legal questions, but a lawyer can look at your lease.")]
    [InlineData("I never give financial advice; talk to a financial adviser about your pension.")]
    [InlineData("You should add health checks and an error budget to every service.")]
    public async Task Declining_or_referring_on_a_forbidden_topic_keeps_the_rule(string reply)
    {
        Assert.Empty((await Judge(reply)).Violations);
    }

    [Theory]
    [InlineData("I can't give medical advice, but you should take two aspirin and rest.", "forbidden_topic:medical")]
    [InlineData("For back pain, try stretching every morning.", "forbidden_topic:medical")]
    [InlineData("You should sue your landlord and keep the deposit.", "forbidden_topic:legal")]
    [InlineData("I'd recommend putting your savings into index funds.", "forbidden_topic:financial")]
    public async Task Advice_on_a_forbidden_topic_is_flagged_with_its_topic(string reply, string rule)
    {
        var verdict = await Judge(reply);

        Assert.Equal([rule], verdict.Violations);
        Assert.Equal(0.4, verdict.Score);
    }

    [Fact]
    public async Task A_topic_without_a_word_list_is_recognised_by_its_own_name()
    {
        var verdict = await Judge("You should vote on politics the way I do.", Rules with { ForbiddenTopics = [" Politics "] });

        Assert.Equal(["forbidden_topic:politics"], verdict.Violations);
    }

    [Theory]
    [InlineData("She builds observability backends on Azure.")]
    [InlineData("Ada has built observability backends for twelve years.")]
    [InlineData("If you ask Ada, tracing should be end to end.")]
    public async Task Speaking_of_the_twin_in_the_third_person_breaks_first_person(string reply)
    {
        var verdict = await Judge(reply);

        Assert.Equal([PersonaRuleNames.FirstPerson], verdict.Violations);
        Assert.Equal(0.6, verdict.Score);
    }

    [Theory]
    [InlineData("Hi, I'm Ada! I build observability backends.")]
    [InlineData("My name is Ada and I love tracing.")]
    [InlineData("Langfuse, definitely.")]
    [InlineData("My mentor? She taught me to test against real dependencies.")]
    public async Task Introducing_oneself_or_speaking_of_others_keeps_first_person(string reply)
    {
        Assert.Empty((await Judge(reply)).Violations);
    }

    [Fact]
    public async Task A_twin_not_bound_to_the_first_person_may_speak_of_itself_by_name()
    {
        var verdict = await Judge("Ada has built observability backends for twelve years.", Rules with { FirstPerson = false });

        Assert.Empty(verdict.Violations);
    }

    [Fact]
    public async Task A_reply_over_the_word_limit_breaks_max_reply_words_and_says_by_how_much()
    {
        var verdict = await Judge("I trace every chat end to end, from the browser to the server.", Rules with { MaxReplyWords = 10 });

        Assert.Equal([PersonaRuleNames.MaxReplyWords], verdict.Violations);
        Assert.Equal(0.8, verdict.Score);
        Assert.Contains("is 13 words long, over the limit of 10", verdict.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Violations_add_up_and_the_score_does_not_go_below_zero()
    {
        var verdict = await Judge(
            "As an AI, Ada would say: take 400mg of ibuprofen and sue your employer.",
            Rules with { MaxReplyWords = 5 });

        Assert.Equal(
            [PersonaRuleNames.NoAiDisclosure, "forbidden_topic:medical", "forbidden_topic:legal", PersonaRuleNames.FirstPerson, PersonaRuleNames.MaxReplyWords],
            verdict.Violations);
        Assert.Equal(0.0, verdict.Score);
    }

    [Fact]
    public async Task The_voice_is_left_to_an_LLM_judge_and_the_comment_says_so()
    {
        var verdict = await Judge("I build observability backends.", Rules with { Voice = "warm and brief" });

        Assert.Equal(1.0, verdict.Score);
        Assert.Contains("voice is not checked", verdict.Comment, StringComparison.Ordinal);
        Assert.DoesNotContain(PersonaRuleNames.Voice, verdict.Violations);
    }

    private static Task<JudgeVerdict> Judge(string reply, PersonaRules? rules = null) =>
        new HeuristicPersonaJudge().JudgeAsync(
            new JudgeInput(DemoTwin.Id, DemoTwin.Definition.Name, DemoTwin.Definition.Persona, rules ?? Rules, "Tell me about your work.", reply, []),
            CancellationToken.None);
}
