using System.Text.Json;

namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>OpenAI preference fine-tuning: the prompt as <c>input.messages</c>, then the preferred and the non-preferred reply.</summary>
internal sealed class OpenAiDpoFormat : JsonExportFormat
{
    private static readonly JsonEncodedText Input = JsonEncodedText.Encode("input");
    private static readonly JsonEncodedText PreferredOutput = JsonEncodedText.Encode("preferred_output");
    private static readonly JsonEncodedText NonPreferredOutput = JsonEncodedText.Encode("non_preferred_output");

    public override string Name => "openai-dpo-jsonl";

    public override string Description => "OpenAI preference fine-tuning (DPO): a prompt with a preferred and a non-preferred reply a line.";

    public override IReadOnlyList<string> Requirements { get; } = [ExportRules.PreferencePair, ExportRules.HistoryMessages];

    public override bool NeedsPairs => true;

    public override int MinimumExamples => 10;

    public override string? Check(ExportExample example) => ExportRules.CheckPair(example);

    protected override void Write(Utf8JsonWriter json, ExportExample example)
    {
        json.WriteStartObject();
        json.WriteStartObject(Input);
        json.WriteStartArray(ChatJson.Messages);
        ChatJson.WritePrompt(json, example, weighHistory: false);
        json.WriteEndArray();
        json.WriteEndObject();
        ChatJson.WriteReply(json, PreferredOutput, example.Assistant);
        ChatJson.WriteReply(json, NonPreferredOutput, example.Rejected ?? string.Empty);
        json.WriteEndObject();
    }
}
