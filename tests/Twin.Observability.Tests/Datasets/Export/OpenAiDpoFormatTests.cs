using Xunit;
using static Twin.Observability.Tests.Datasets.Export.ExportSamples;

namespace Twin.Observability.Tests.Datasets.Export;

public sealed class OpenAiDpoFormatTests
{
    [Fact]
    public async Task A_line_is_the_prompt_then_the_preferred_and_the_non_preferred_reply()
    {
        await AssertEachLineAsync("openai-dpo-jsonl", (line, example) =>
        {
            Assert.Equal(["input", "preferred_output", "non_preferred_output"], PropertyNames(line));
            var input = line.GetProperty("input");
            Assert.Equal(["messages"], PropertyNames(input));
            Assert.Equal(Prompt(example), RolesAndContents(input.GetProperty("messages")));
            Assert.Equal([(Assistant, example.Assistant)], RolesAndContents(line.GetProperty("preferred_output")));
            Assert.Equal([(Assistant, example.Rejected!)], RolesAndContents(line.GetProperty("non_preferred_output")));
            Assert.DoesNotContain("weight", line.GetRawText(), StringComparison.Ordinal);
        });
    }
}
