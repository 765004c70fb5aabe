using System.Text.Json;

namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>Hugging Face TRL's conversational prompt-completion: <c>{"prompt":[messages],"completion":[reply]}</c>.</summary>
internal sealed class TrlPromptCompletionFormat : JsonExportFormat
{
    private static readonly JsonEncodedText Prompt = JsonEncodedText.Encode("prompt");
    private static readonly JsonEncodedText Completion = JsonEncodedText.Encode("completion");

    public override string Name => "trl-prompt-completion-jsonl";

    public override string Description => "Hugging Face TRL SFTTrainer, conversational prompt-completion: the loss falls on the completion only.";

    protected override void Write(Utf8JsonWriter json, ExportExample example)
    {
        json.WriteStartObject();
        json.WriteStartArray(Prompt);
        ChatJson.WritePrompt(json, example, weighHistory: false);
        json.WriteEndArray();
        ChatJson.WriteReply(json, Completion, example.Assistant);
        json.WriteEndObject();
    }
}
