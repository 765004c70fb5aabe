using System.Text.Json;
using Twin.Observability.Datasets.Export;
using Xunit;
using static Twin.Observability.Tests.Datasets.Export.ExportSamples;

namespace Twin.Observability.Tests.Datasets.Export;

public sealed class OpenAiChatFormatTests
{
    [Fact]
    public async Task A_line_is_the_conversation_in_order_with_only_the_final_reply_weighted_1()
    {
        await AssertEachLineAsync("openai-chat-jsonl", AssertLine);
    }

    [Fact]
    public async Task Without_a_system_prompt_the_user_message_comes_first()
    {
        var line = Assert.Single(ReadLines(await WriteAsync(Format("openai-chat-jsonl"), [Plain])));

        var messages = line.GetProperty("messages");
        Assert.Equal([(User, Plain.User), (Assistant, Plain.Assistant)], RolesAndContents(messages));
        Assert.Equal(1, messages[1].GetProperty("weight").GetInt32());
    }

    /// <summary>Also the reading of an Azure OpenAI line, which is the same.</summary>
    internal static void AssertLine(JsonElement line, ExportExample example)
    {
        Assert.Equal(["messages"], PropertyNames(line));
        var messages = line.GetProperty("messages");
        Assert.Equal(Conversation(example), RolesAndContents(messages));
        var last = messages.GetArrayLength() - 1;
        for (var i = 0; i <= last; i++)
        {
            var message = messages[i];
            if (message.GetProperty("role").GetString() == Assistant)
            {
                Assert.Equal(i == last ? 1 : 0, message.GetProperty("weight").GetInt32());
            }
            else
            {
                Assert.False(message.TryGetProperty("weight", out _), "weight only on assistant messages");
            }
        }
    }
}
