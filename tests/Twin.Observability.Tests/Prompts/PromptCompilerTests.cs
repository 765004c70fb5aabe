using Twin.Observability.Chat;
using Twin.Observability.Prompts;
using Twin.Observability.Twins;
using Xunit;

namespace Twin.Observability.Tests.Prompts;

public sealed class PromptCompilerTests
{
    [Fact]
    public void Variables_are_filled_and_missing_ones_are_reported_and_left_in_place()
    {
        var compiled = PromptCompiler.Compile("Hi {{name}}, you are {{ role }}. {{unknown}} {{name}}", new Dictionary<string, string> { ["name"] = "Ada", ["role"] = "a twin" });

        Assert.Equal("Hi Ada, you are a twin. {{unknown}} Ada", compiled.Text);
        Assert.Equal(["unknown"], compiled.MissingVariables);
    }

    [Fact]
    public void Values_are_inserted_literally_even_when_they_look_like_placeholders()
    {
        var compiled = PromptCompiler.Compile("{{a}}", new Dictionary<string, string> { ["a"] = "{{b}} $1" });

        Assert.Equal("{{b}} $1", compiled.Text);
        Assert.Empty(compiled.MissingVariables);
    }

    [Fact]
    public void A_chat_prompt_becomes_its_messages_then_history_then_the_user_message()
    {
        var twin = new TwinProfile("ada", "Ada", "I am Ada.", [], null, null, [], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "e");
        var template = new PromptTemplate("twin-system", 3, PromptKind.Chat, null,
            [new PromptMessage("system", "You are {{twin_name}}. {{persona}}"), new PromptMessage("user", "Style: {{tone}}")],
            PromptConfig.Empty, ["production"], PromptSource.Langfuse);

        var built = PromptBuilder.Build(template, twin, [], [], [new ConversationTurn("user", "earlier", DateTimeOffset.UtcNow)], "now");

        Assert.Equal(["system", "user", "user", "user"], built.Messages.Select(m => m.Role.Value));
        Assert.Equal("You are Ada. I am Ada.", built.Messages[0].Text);
        Assert.Equal(["tone"], built.MissingVariables);
        Assert.Equal("now", built.Messages[^1].Text);
    }

    [Fact]
    public void The_built_in_system_prompt_uses_the_twin_and_its_knowledge()
    {
        var twin = new TwinProfile("ada", "Ada", "I am Ada.", ["I bake."], null, null, [], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "e");

        var built = PromptBuilder.Build(BuiltInPrompts.Find(BuiltInPrompts.SystemPromptName)!, twin, [new RetrievedSnippet(0, "I bake.", 1)], [], [], "hi");

        Assert.StartsWith("You are Ada, a digital twin.", built.Messages[0].Text, StringComparison.Ordinal);
        Assert.Contains("- I bake.", built.Messages[0].Text, StringComparison.Ordinal);
        Assert.Empty(built.MissingVariables);
    }
}
