namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>The export formats clients can ask for, by name.</summary>
public static class ExportFormats
{
    private static readonly IExportFormat OpenAiDpo = new OpenAiDpoFormat();

    /// <summary>Every format, the default (<c>openai-chat-jsonl</c>) first.</summary>
    public static IReadOnlyList<IExportFormat> All { get; } =
    [
        new OpenAiChatFormat(),
        new AzureOpenAiChatFormat(),
        OpenAiDpo,
        new ShareGptFormat(),
        new AlpacaFormat(),
        new TrlPromptCompletionFormat(),
        new BedrockConverseFormat(),
        new CsvFormat(),
    ];

    /// <summary>The format of that name, ignoring case; <c>dpo-jsonl</c> is the DPO format's shorter name. Null when none.</summary>
    public static IExportFormat? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        if (string.Equals(trimmed, "dpo-jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return OpenAiDpo;
        }

        foreach (var format in All)
        {
            if (string.Equals(format.Name, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return format;
            }
        }

        return null;
    }
}
