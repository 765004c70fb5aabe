using System.Text.Json;

namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>Azure OpenAI chat fine-tuning: the OpenAI chat lines in a file that starts with the UTF-8 byte order mark.</summary>
internal sealed class AzureOpenAiChatFormat : JsonExportFormat
{
    public override string Name => "azure-openai-chat-jsonl";

    public override string Description => "Azure OpenAI chat fine-tuning (SFT): the OpenAI chat lines, in the UTF-8 with byte order mark that Azure requires.";

    public override int MinimumExamples => 10;

    protected override JsonFraming Framing => JsonFraming.LinesWithBom;

    protected override void Write(Utf8JsonWriter json, ExportExample example) => OpenAiChatFormat.WriteLine(json, example);
}
