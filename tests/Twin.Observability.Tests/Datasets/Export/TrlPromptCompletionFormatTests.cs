using Xunit;
using static Twin.Observability.Tests.Datasets.Export.ExportSamples;

namespace Twin.Observability.Tests.Datasets.Export;

public sealed class TrlPromptCompletionFormatTests
{
    [Fact]
    public async Task A_line_is_the_prompt_messages_and_the_reply_as_completion()
    {
        await AssertEachLineAsync("trl-prompt-completion-jsonl", (line, example) =>
        {
            Assert.Equal(["prompt", "completion"], PropertyNames(line));
            Assert.Equal(Prompt(example), RolesAndContents(line.GetProperty("prompt")));
            Assert.Equal([(Assistant, example.Assistant)], RolesAndContents(line.GetProperty("completion")));
            Assert.DoesNotContain("weight", line.GetRawText(), StringComparison.Ordinal);
        });
    }
}
