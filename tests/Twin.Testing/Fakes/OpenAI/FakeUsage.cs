namespace Twin.Testing.Fakes.OpenAI;

/// <summary>
/// Token counts <see cref="FakeOpenAI"/> reports in <c>usage</c> when a test fixes them; <see cref="CachedTokens"/>
/// (part of the prompt tokens, as OpenAI counts them) go in <c>prompt_tokens_details.cached_tokens</c> when set.
/// </summary>
public sealed record FakeUsage(int PromptTokens, int CompletionTokens, int? CachedTokens = null)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}
