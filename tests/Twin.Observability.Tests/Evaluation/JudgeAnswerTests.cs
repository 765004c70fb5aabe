using Twin.Observability.Evaluation;
using Xunit;

namespace Twin.Observability.Tests.Evaluation;

public sealed class JudgeAnswerTests
{
    private static readonly string[] Rules = [PersonaRuleNames.FirstPerson, PersonaRuleNames.NoAiDisclosure];

    [Theory]
    [InlineData("""{"score": 0, "reasoning": "Off topic."}""", 0.0)]
    [InlineData("""{"score": 1, "reasoning": "Exact.", "extra": true}""", 1.0)]
    [InlineData(" \n{\"score\": 0.25, \"reasoning\": \"Partly.\"}\n", 0.25)]
    [InlineData("```json\n{\"score\": 0.5, \"reasoning\": \"Half.\"}\n```", 0.5)]
    public void Valid_answers_parse(string text, double score)
    {
        Assert.True(JudgeAnswer.TryParse(text, null, out var answer, out var error), error);
        Assert.Equal(score, answer.Score);
        Assert.Empty(answer.Violations);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0.7")]
    [InlineData("""{"score": null, "reasoning": "x"}""")]
    [InlineData("""{"score": 1.0001, "reasoning": "x"}""")]
    [InlineData("""{"score": 0.5, "reasoning": "  "}""")]
    [InlineData("""{"score": 0.5, "reasoning": ["x"]}""")]
    [InlineData("""{"score": 0.5, "reasoning": "x"} trailing""")]
    [InlineData("""{"Score": 0.5, "reasoning": "x"}""")]
    public void Answers_that_are_not_a_valid_verdict_are_refused_with_a_reason(string? text)
    {
        Assert.False(JudgeAnswer.TryParse(text, null, out var answer, out var error));
        Assert.Null(answer);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("""{"score": 0.5, "reasoning": "x"}""")]
    [InlineData("""{"score": 0.5, "reasoning": "x", "violations": "first_person"}""")]
    [InlineData("""{"score": 0.5, "reasoning": "x", "violations": [1]}""")]
    [InlineData("""{"score": 0.5, "reasoning": "x", "violations": ["voice"]}""")]
    public void An_audit_must_list_violations_from_the_twins_rules(string text)
    {
        Assert.False(JudgeAnswer.TryParse(text, Rules, out _, out var error));
        Assert.Contains("\"violations\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_violations_are_normalised_and_deduplicated()
    {
        Assert.True(JudgeAnswer.TryParse("""{"score": 0.1, "reasoning": "x", "violations": [" NO_AI_DISCLOSURE ", "no_ai_disclosure"]}""", Rules, out var answer, out _));
        Assert.Equal([PersonaRuleNames.NoAiDisclosure], answer.Violations);
    }
}
