using Xunit;
using static Twin.Observability.Tests.Datasets.Export.ExportSamples;

namespace Twin.Observability.Tests.Datasets.Export;

public sealed class ShareGptFormatTests
{
    [Fact]
    public async Task A_line_is_human_and_gpt_turns_with_the_system_prompt_beside_them()
    {
        await AssertEachLineAsync("sharegpt-jsonl", (line, example) =>
        {
            var turns = line.GetProperty("conversations").EnumerateArray()
                .Select(t => (t.GetProperty("from").GetString()!, t.GetProperty("value").GetString()!));
            var expected = Conversation(example).Where(m => m.Role != "system")
                .Select(m => (m.Role == User ? "human" : "gpt", m.Content));
            Assert.Equal(expected, turns);
            if (example.System is null)
            {
                Assert.Equal(["conversations"], PropertyNames(line));
            }
            else
            {
                Assert.Equal(["conversations", "system"], PropertyNames(line));
                Assert.Equal(example.System, line.GetProperty("system").GetString());
            }
        });
    }
}
