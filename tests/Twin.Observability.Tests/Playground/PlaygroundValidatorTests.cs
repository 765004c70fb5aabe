using System.Text.Json;
using Twin.Observability.Common;
using Twin.Observability.Playground;
using Twin.Observability.Prompts;
using Twin.Observability.Twins;
using Xunit;

namespace Twin.Observability.Tests.Playground;

public sealed class PlaygroundValidatorTests
{
    private static readonly PlaygroundOptions Options = new();

    private static readonly TwinProfile Twin = new("ada", "Ada", "You are Ada.", ["Ada bakes bread."], null, null, [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "");

    [Fact]
    public void A_variable_the_prompt_uses_that_nothing_supplies_is_named_while_the_twins_own_are_supplied()
    {
        var plan = PlaygroundValidator.Validate(new PlaygroundTestRequest { Prompt = Json("\"You are {{twin_name}} ({{persona}}). Be {{tone}}, {{ style }}.\""), Message = "Hi", Variables = new() { ["style"] = "brief" } }, Options, 4_000);
        var errors = new ValidationErrors();

        PlaygroundValidator.CheckVariables(errors, new ResolvedVariant(plan.Variants[0], plan.Variants[0].InlinePrompt!, null), Twin, plan.Inputs);

        var messages = Assert.Single(errors.ToDictionary(), e => e.Key == "variables").Value;
        Assert.Contains("{{tone}}", Assert.Single(messages), StringComparison.Ordinal);
    }

    [Fact]
    public void In_a_comparison_an_input_may_supply_a_variable_and_the_inputs_that_do_not_are_named()
    {
        var plan = PlaygroundValidator.Validate(
            new PlaygroundCompareRequest
            {
                Variants = [new() { Prompt = Json("""{"type":"chat","messages":[{"role":"system","content":"Speak {{language}}."}]}""") }],
                Inputs = [new() { Message = "a", Variables = new() { ["language"] = "French" } }, new() { Message = "b" }, new() { Message = "c" }],
            },
            Options,
            4_000);
        var errors = new ValidationErrors();

        PlaygroundValidator.CheckVariables(errors, new ResolvedVariant(plan.Variants[0], plan.Variants[0].InlinePrompt!, null), Twin, plan.Inputs);

        var message = Assert.Single(errors.ToDictionary()["variants[0].variables"]);
        Assert.Contains("{{language}}", message, StringComparison.Ordinal);
        Assert.Contains("(inputs 1, 2)", message, StringComparison.Ordinal);
        Assert.Equal(PromptKind.Chat, plan.Variants[0].InlinePrompt!.Kind);
        Assert.Equal(PromptSource.Inline, plan.Variants[0].InlinePrompt!.Source);
    }

    [Fact]
    public void Too_many_variants_and_inputs_are_refused_with_both_fields_named()
    {
        var request = new PlaygroundCompareRequest
        {
            Variants = [.. Enumerable.Range(0, Options.MaxVariants + 1).Select(i => new PlaygroundSettingsRequest { Name = $"v{i}" })],
            Inputs = [.. Enumerable.Range(0, Options.MaxInputs + 1).Select(i => new PlaygroundInputRequest { Message = $"m{i}" })],
        };

        var errors = Assert.Throws<RequestValidationException>(() => PlaygroundValidator.Validate(request, Options, 4_000)).Errors;

        Assert.Contains("variants", errors.Keys);
        Assert.Contains("inputs", errors.Keys);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(2.01)]
    [InlineData(double.NaN)]
    public void A_temperature_outside_0_to_2_is_refused_for_a_test_and_for_a_variant(double temperature)
    {
        var test = Assert.Throws<RequestValidationException>(() => PlaygroundValidator.Validate(new PlaygroundTestRequest { Message = "Hi", Temperature = temperature }, Options, 4_000)).Errors;
        var compare = Assert.Throws<RequestValidationException>(() => PlaygroundValidator.Validate(
            new PlaygroundCompareRequest { Variants = [new() { Temperature = 1 }, new() { Temperature = temperature }], Inputs = [new() { Message = "Hi" }] }, Options, 4_000)).Errors;

        Assert.Equal(["temperature"], test.Keys);
        Assert.Equal(["variants[1].temperature"], compare.Keys);
    }

    [Fact]
    public void Empty_messages_a_prompt_given_twice_and_bad_variable_names_are_each_named()
    {
        var errors = Assert.Throws<RequestValidationException>(() => PlaygroundValidator.Validate(
            new PlaygroundTestRequest { Message = "  ", Prompt = Json("\"Hi {{x}}\""), PromptName = "twin-system", Variables = new() { ["1bad"] = "v" } }, Options, 4_000)).Errors;

        Assert.Equal(["message", "prompt", "variables"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{"type":"chat","messages":[]}""", "prompt.messages")]
    [InlineData("""{"type":"chat","messages":[{"role":"tool","content":"x"}]}""", "prompt.messages[0].role")]
    [InlineData("""{"type":"text"}""", "prompt.text")]
    [InlineData("""{"type":"image","text":"x"}""", "prompt.type")]
    [InlineData("42", "prompt")]
    public void A_malformed_inline_prompt_is_refused_at_the_field_that_is_wrong(string prompt, string field)
    {
        var errors = Assert.Throws<RequestValidationException>(() => PlaygroundValidator.Validate(new PlaygroundTestRequest { Message = "Hi", Prompt = Json(prompt) }, Options, 4_000)).Errors;

        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Defaults_judge_on_few_shot_off_and_an_input_variable_wins_over_the_variants()
    {
        var plan = PlaygroundValidator.Validate(new PlaygroundTestRequest { Message = " Hi ", Prompt = Json("""{"type":"text","text":"T","name":"mine"}""") }, Options, 4_000);

        Assert.True(plan.Judge);
        Assert.False(plan.FewShot);
        Assert.Equal("Hi", plan.Inputs[0].Message);
        Assert.Equal("mine", plan.Variants[0].InlinePrompt!.Name);
        Assert.Equal("b", PlaygroundValidator.Merge(new Dictionary<string, string> { ["x"] = "a" }, new Dictionary<string, string> { ["x"] = "b" })["x"]);
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
