using System.Globalization;

namespace Twin.Observability.Tracing;

/// <summary>
/// The tokens of one generation as providers report them: <see cref="Input"/> includes the <see cref="CachedInput"/>
/// tokens read from the provider's prompt cache (OpenAI's <c>prompt_tokens</c> does).
/// </summary>
public readonly record struct TokenUsage(long Input, long Output, long CachedInput = 0)
{
    public long Total => Input + Output;

    public long UncachedInput => Math.Max(Input - CachedInput, 0);

    /// <summary>
    /// Langfuse's <c>usage_details</c>: <c>input</c> without the cached tokens, which are <c>input_cached_tokens</c>
    /// (Langfuse's own convention for OpenAI usage, so its per-type prices apply), <c>output</c> and <c>total</c>.
    /// </summary>
    public string ToLangfuseJson() => CachedInput > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{{\"input\":{UncachedInput},\"input_cached_tokens\":{CachedInput},\"output\":{Output},\"total\":{Total}}}")
        : string.Create(CultureInfo.InvariantCulture, $"{{\"input\":{Input},\"output\":{Output},\"total\":{Total}}}");
}
