using Xunit;
using static Twin.Observability.Tests.Datasets.Export.ExportSamples;

namespace Twin.Observability.Tests.Datasets.Export;

public sealed class AzureOpenAiChatFormatTests
{
    [Fact]
    public async Task The_file_is_the_byte_order_mark_then_the_openai_chat_lines()
    {
        var azure = await WriteAsync("azure-openai-chat-jsonl");
        var openAi = await WriteAsync("openai-chat-jsonl");

        Assert.Equal(Bom.ToArray(), azure[..3]);
        Assert.Equal(openAi, azure[3..]);
        await AssertEachLineAsync("azure-openai-chat-jsonl", OpenAiChatFormatTests.AssertLine);
    }
}
