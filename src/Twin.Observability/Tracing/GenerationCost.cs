using System.Globalization;

namespace Twin.Observability.Tracing;

/// <summary>What one generation cost in US dollars, by the kind of token (the keys of <see cref="TokenUsage.ToLangfuseJson"/>).</summary>
public readonly record struct GenerationCost(decimal Input, decimal CachedInput, decimal Output)
{
    public decimal Total => Input + CachedInput + Output;

    /// <summary>Langfuse's <c>cost_details</c>: the same keys as the usage details, and the total.</summary>
    public string ToLangfuseJson() => CachedInput > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{{\"input\":{Input},\"input_cached_tokens\":{CachedInput},\"output\":{Output},\"total\":{Total}}}")
        : string.Create(CultureInfo.InvariantCulture, $"{{\"input\":{Input},\"output\":{Output},\"total\":{Total}}}");
}
