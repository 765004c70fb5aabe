using System.Text.Json;

namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>ShareGPT as LLaMA-Factory reads it: <c>conversations</c> of human/gpt turns, and the system prompt beside them.</summary>
internal sealed class ShareGptFormat : JsonExportFormat
{
    private static readonly JsonEncodedText Conversations = JsonEncodedText.Encode("conversations");
    private static readonly JsonEncodedText From = JsonEncodedText.Encode("from");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText Human = JsonEncodedText.Encode("human");
    private static readonly JsonEncodedText Gpt = JsonEncodedText.Encode("gpt");

    public override string Name => "sharegpt-jsonl";

    public override string Description => "ShareGPT conversations for supervised fine-tuning with LLaMA-Factory (and trainers that read ShareGPT, such as Axolotl).";

    public override IReadOnlyList<string> Requirements => ExportRules.Alternating;

    public override string? Check(ExportExample example) => ExportRules.CheckAlternating(example);

    protected override void Write(Utf8JsonWriter json, ExportExample example)
    {
        json.WriteStartObject();
        json.WriteStartArray(Conversations);
        foreach (var message in example.History)
        {
            WriteTurn(json, message.Role == ExportMessage.UserRole ? Human : Gpt, message.Content);
        }

        WriteTurn(json, Human, example.User);
        WriteTurn(json, Gpt, example.Assistant);
        json.WriteEndArray();
        if (!string.IsNullOrEmpty(example.System))
        {
            json.WriteString(ChatJson.System, example.System);
        }

        json.WriteEndObject();
    }

    private static void WriteTurn(Utf8JsonWriter json, JsonEncodedText from, string value)
    {
        json.WriteStartObject();
        json.WriteString(From, from);
        json.WriteString(Value, value);
        json.WriteEndObject();
    }
}
