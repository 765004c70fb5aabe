namespace Twin.Testing.Fakes.OpenAI;

/// <summary>Token counts <see cref="FakeOpenAI"/> reports in <c>usage</c> when a test fixes them.</summary>
public sealed record FakeUsage(int PromptTokens, int CompletionTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}
