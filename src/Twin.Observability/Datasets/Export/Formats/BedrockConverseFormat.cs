using System.Text.Json;

namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>Amazon Bedrock's <c>bedrock-conversation-2024</c> schema: messages whose content is a list of text blocks.</summary>
internal sealed class BedrockConverseFormat : JsonExportFormat
{
    private static readonly JsonEncodedText SchemaVersion = JsonEncodedText.Encode("schemaVersion");
    private static readonly JsonEncodedText Schema = JsonEncodedText.Encode("bedrock-conversation-2024");
    private static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");

    public override string Name => "bedrock-converse-jsonl";

    public override string Description => "Amazon Bedrock fine-tuning of conversational models such as Nova (bedrock-conversation-2024 schema).";

    public override IReadOnlyList<string> Requirements => ExportRules.Alternating;

    public override string? Check(ExportExample example) => ExportRules.CheckAlternating(example);

    protected override void Write(Utf8JsonWriter json, ExportExample example)
    {
        json.WriteStartObject();
        json.WriteString(SchemaVersion, Schema);
        if (!string.IsNullOrEmpty(example.System))
        {
            json.WriteStartArray(ChatJson.System);
            WriteTextBlock(json, example.System);
            json.WriteEndArray();
        }

        json.WriteStartArray(ChatJson.Messages);
        foreach (var message in example.History)
        {
            WriteMessage(json, message.Role == ExportMessage.UserRole ? ChatJson.User : ChatJson.Assistant, message.Content);
        }

        WriteMessage(json, ChatJson.User, example.User);
        WriteMessage(json, ChatJson.Assistant, example.Assistant);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter json, JsonEncodedText role, string text)
    {
        json.WriteStartObject();
        json.WriteString(ChatJson.Role, role);
        json.WriteStartArray(ChatJson.Content);
        WriteTextBlock(json, text);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTextBlock(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject();
        json.WriteString(Text, text);
        json.WriteEndObject();
    }
}
