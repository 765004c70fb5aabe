using System.Text.Json.Nodes;
using Twin.Observability.Datasets;
using Twin.Observability.Datasets.Export;
using Xunit;

namespace Twin.Observability.Tests.Datasets.Export;

/// <summary>Items become examples whether the collector wrote them or another tool did; items that are no example say why.</summary>
public sealed class ExampleReaderTests
{
    [Fact]
    public void A_collected_item_gives_its_message_reply_scores_twin_and_knowledge()
    {
        var read = ExampleReader.Read(Item(
            new JsonObject { ["message"] = "Which tool?", ["twinId"] = "ada", ["knowledge"] = new JsonArray("Ada uses Langfuse.") },
            new JsonObject { ["reply"] = "Langfuse." },
            new JsonObject { ["scores"] = new JsonObject { ["relevance"] = 0.8, ["note"] = "x" }, ["promptName"] = "twin-system", ["promptVersion"] = 3, ["model"] = "gpt-4.1" }));

        var example = read.Example!;
        Assert.Equal(("Which tool?", "Langfuse.", "ada"), (example.User, example.Assistant, example.TwinId));
        Assert.Equal(0.8, Assert.Single(example.Scores).Value);
        Assert.Equal(("twin-system", 3, "gpt-4.1"), (example.PromptName, example.PromptVersion, example.Model));
        Assert.Equal(["Ada uses Langfuse."], read.Knowledge);
        Assert.Null(example.System);
        Assert.Equal(("trace", "obs"), (example.SourceTraceId, example.SourceObservationId));
    }

    [Fact]
    public void A_chat_messages_input_gives_system_history_and_the_last_user_message()
    {
        var messages = new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = "Be brief." },
            new JsonObject { ["role"] = "user", ["content"] = "Hi" },
            new JsonObject { ["role"] = "assistant", ["content"] = "Hello!" },
            new JsonObject { ["role"] = "user", ["content"] = "Which tool?" });

        var example = ExampleReader.Read(Item(new JsonObject { ["messages"] = messages }, new JsonObject { ["value"] = "Langfuse." }, [])).Example!;

        Assert.Equal("Be brief.", example.System);
        Assert.Equal([new ExportMessage("user", "Hi"), new ExportMessage("assistant", "Hello!")], example.History);
        Assert.Equal("Which tool?", example.User);
        Assert.Equal("Langfuse.", example.Assistant);
    }

    [Theory]
    [InlineData("""{"other":1}""", """{"reply":"x"}""", "no_user_message")]
    [InlineData("""{"message":"  "}""", """{"reply":"x"}""", "no_user_message")]
    [InlineData("""{"message":"q"}""", """{"reply":42}""", "no_reply")]
    [InlineData("""{"messages":[{"role":"assistant","content":"a"}]}""", """{"reply":"x"}""", "no_user_message")]
    public void An_item_that_is_no_example_says_why(string input, string output, string failure)
    {
        var read = ExampleReader.Read(Item(JsonNode.Parse(input)!.AsObject(), JsonNode.Parse(output)!.AsObject(), []));

        Assert.Null(read.Example);
        Assert.Equal(failure, read.Failure);
    }

    private static DatasetItem Item(JsonObject input, JsonObject output, JsonObject metadata) => new("id1", "ds", input, output, metadata, "trace", "obs");
}
