namespace Twin.Observability.Tracing;

/// <summary>The OpenTelemetry gen_ai attributes Microsoft.Extensions.AI writes on its chat spans that the app reads back.</summary>
internal static class GenAiAttributes
{
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string CachedInputTokens = "gen_ai.usage.cache_read.input_tokens";
}
