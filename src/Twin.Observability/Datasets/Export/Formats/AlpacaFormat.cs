using System.Text.Json;

namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>Alpaca as LLaMA-Factory reads it: one JSON array of instruction/output objects, earlier turns as <c>history</c> pairs.</summary>
internal sealed class AlpacaFormat : JsonExportFormat
{
    private static readonly JsonEncodedText Instruction = JsonEncodedText.Encode("instruction");
    private static readonly JsonEncodedText Input = JsonEncodedText.Encode("input");
    private static readonly JsonEncodedText Output = JsonEncodedText.Encode("output");
    private static readonly JsonEncodedText History = JsonEncodedText.Encode("history");

    public override string Name => "alpaca-json";

    public override string Extension => "json";

    public override string ContentType => "application/json";

    public override string Description => "Alpaca instruction data for supervised fine-tuning with LLaMA-Factory: one JSON array, earlier turns as history pairs.";

    public override IReadOnlyList<string> Requirements => ExportRules.Alternating;

    protected override JsonFraming Framing => JsonFraming.OneArray;

    public override string? Check(ExportExample example) => ExportRules.CheckAlternating(example);

    protected override void Write(Utf8JsonWriter json, ExportExample example)
    {
        json.WriteStartObject();
        json.WriteString(Instruction, example.User);
        json.WriteString(Input, string.Empty);
        json.WriteString(Output, example.Assistant);
        if (!string.IsNullOrEmpty(example.System))
        {
            json.WriteString(ChatJson.System, example.System);
        }

        json.WriteStartArray(History);
        var history = example.History;
        for (var i = 0; i + 1 < history.Count; i += 2)
        {
            json.WriteStartArray();
            json.WriteStringValue(history[i].Content);
            json.WriteStringValue(history[i + 1].Content);
            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
