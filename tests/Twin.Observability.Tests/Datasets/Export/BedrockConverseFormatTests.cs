using Xunit;
using static Twin.Observability.Tests.Datasets.Export.ExportSamples;

namespace Twin.Observability.Tests.Datasets.Export;

public sealed class BedrockConverseFormatTests
{
    [Fact]
    public async Task A_line_has_the_schema_version_the_system_blocks_and_text_block_messages()
    {
        await AssertEachLineAsync("bedrock-converse-jsonl", (line, example) =>
        {
            Assert.Equal("bedrock-conversation-2024", line.GetProperty("schemaVersion").GetString());
            if (example.System is null)
            {
                Assert.Equal(["schemaVersion", "messages"], PropertyNames(line));
            }
            else
            {
                Assert.Equal(["schemaVersion", "system", "messages"], PropertyNames(line));
                var block = Assert.Single(line.GetProperty("system").EnumerateArray());
                Assert.Equal(example.System, block.GetProperty("text").GetString());
            }

            var messages = line.GetProperty("messages").EnumerateArray()
                .Select(m => (m.GetProperty("role").GetString()!, Assert.Single(m.GetProperty("content").EnumerateArray()).GetProperty("text").GetString()!));
            Assert.Equal(Conversation(example).Where(m => m.Role != "system"), messages);
        });
    }
}
