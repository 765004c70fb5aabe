using System.Text.Json;

namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>OpenAI chat fine-tuning: <c>{"messages":[…]}</c>, the final reply weighted 1 and earlier replies 0.</summary>
internal sealed class OpenAiChatFormat : JsonExportFormat
{
    public override string Name => "openai-chat-jsonl";

    public override string Description => "OpenAI chat fine-tuning (SFT): one conversation a line, of which only the final, judged reply is trained.";

    public override int MinimumExamples => 10;

    /// <summary>Also the Azure OpenAI line, which differs only in the file's byte order mark.</summary>
    internal static void WriteLine(Utf8JsonWriter json, ExportExample example)
    {
        json.WriteStartObject();
        json.WriteStartArray(ChatJson.Messages);
        ChatJson.WritePrompt(json, example, weighHistory: true);
        ChatJson.WriteMessage(json, ChatJson.Assistant, example.Assistant, weight: 1);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    protected override void Write(Utf8JsonWriter json, ExportExample example) => WriteLine(json, example);
}
