namespace Twin.Observability.Llm;

/// <summary>Which model answers. <see cref="Offline"/> answers from the twin's own knowledge without any model.</summary>
public enum LlmProvider
{
    Offline,
    OpenAI,
    AzureOpenAI,
}
