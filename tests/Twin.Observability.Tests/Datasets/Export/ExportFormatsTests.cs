using Twin.Observability.Datasets.Export.Formats;
using Xunit;

namespace Twin.Observability.Tests.Datasets.Export;

public sealed class ExportFormatsTests
{
    [Fact]
    public void All_lists_the_eight_formats_default_first()
    {
        Assert.Equal(
            ["openai-chat-jsonl", "azure-openai-chat-jsonl", "openai-dpo-jsonl", "sharegpt-jsonl", "alpaca-json", "trl-prompt-completion-jsonl", "bedrock-converse-jsonl", "csv"],
            ExportFormats.All.Select(f => f.Name));
    }

    [Theory]
    [InlineData("openai-chat-jsonl", "openai-chat-jsonl")]
    [InlineData("OpenAI-Chat-JSONL", "openai-chat-jsonl")]
    [InlineData("dpo-jsonl", "openai-dpo-jsonl")]
    [InlineData("DPO-JSONL", "openai-dpo-jsonl")]
    [InlineData("CSV", "csv")]
    public void Find_ignores_case_and_knows_the_dpo_alias(string asked, string found)
    {
        Assert.Same(ExportFormats.All.Single(f => f.Name == found), ExportFormats.Find(asked));
    }

    [Theory]
    [InlineData("")]
    [InlineData("jsonl")]
    [InlineData("openai-chat")]
    public void Find_returns_null_for_an_unknown_name(string asked)
    {
        Assert.Null(ExportFormats.Find(asked));
    }

    [Fact]
    public void Every_format_describes_itself_and_has_an_extension_matching_its_content_type()
    {
        Assert.Equal(ExportFormats.All.Count, ExportFormats.All.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var contentTypes = new Dictionary<string, string> { ["jsonl"] = "application/jsonl", ["json"] = "application/json", ["csv"] = "text/csv" };
        Assert.All(ExportFormats.All, format =>
        {
            Assert.Equal(contentTypes[format.Extension], format.ContentType);
            Assert.False(string.IsNullOrWhiteSpace(format.Description));
            Assert.NotEmpty(format.Requirements);
            Assert.True(format.MinimumExamples >= 1);
        });
    }

    [Fact]
    public void Only_dpo_needs_pairs_and_the_openai_trainers_want_ten_examples()
    {
        Assert.Equal(["openai-dpo-jsonl"], ExportFormats.All.Where(f => f.NeedsPairs).Select(f => f.Name));
        Assert.Equal(["openai-chat-jsonl", "azure-openai-chat-jsonl", "openai-dpo-jsonl"], ExportFormats.All.Where(f => f.MinimumExamples == 10).Select(f => f.Name));
        Assert.Contains(ExportFormats.Find("dpo-jsonl")!.Requirements, r => r.Contains("preference pair", StringComparison.Ordinal));
    }
}
