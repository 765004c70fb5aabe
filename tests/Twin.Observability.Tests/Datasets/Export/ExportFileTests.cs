using System.Text;
using Twin.Observability.Datasets.Export.Formats;
using Xunit;
using static Twin.Observability.Tests.Datasets.Export.ExportSamples;

namespace Twin.Observability.Tests.Datasets.Export;

/// <summary>What every format's file shares: encoding, byte order mark, empty files, cancellation.</summary>
public sealed class ExportFileTests
{
    public static TheoryData<string> Names() => [.. ExportFormats.All.Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Only_the_azure_file_starts_with_the_byte_order_mark(string name)
    {
        var file = await WriteAsync(name);

        Assert.Equal(name == "azure-openai-chat-jsonl", file.AsSpan().StartsWith(Bom));
    }

    /// <summary>
    /// Text of the basic multilingual plane stays as it is. System.Text.Json escapes characters beyond it (👋 as
    /// <c>\uD83D\uDC4B</c>) with every built-in encoder; that is valid JSON, which the format tests read back intact.
    /// </summary>
    [Theory]
    [MemberData(nameof(Names))]
    public async Task Non_ascii_text_is_written_as_readable_utf8(string name)
    {
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(await WriteAsync(name));

        Assert.Contains("Grüße", text, StringComparison.Ordinal);
        Assert.Contains("1,5 €", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00FC", text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("openai-chat-jsonl", "")]
    [InlineData("azure-openai-chat-jsonl", "\uFEFF")]
    [InlineData("openai-dpo-jsonl", "")]
    [InlineData("sharegpt-jsonl", "")]
    [InlineData("alpaca-json", "[]")]
    [InlineData("trl-prompt-completion-jsonl", "")]
    [InlineData("bedrock-converse-jsonl", "")]
    [InlineData("csv", "id,system,user,assistant,history,scores,source_trace_id,source_observation_id,twin_id,prompt_name,prompt_version,model\r\n")]
    public async Task A_file_without_examples_is_still_valid(string name, string expected)
    {
        var file = await WriteAsync(Format(name), []);

        Assert.Equal(expected, Encoding.UTF8.GetString(file));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_cancelled_write_throws(string name)
    {
        using var stream = new MemoryStream();
        var writer = Format(name).CreateWriter(stream);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await writer.WriteAsync(Rich, new CancellationToken(canceled: true)));
    }
}
