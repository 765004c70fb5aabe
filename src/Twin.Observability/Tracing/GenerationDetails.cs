using System.Diagnostics;
using System.Globalization;

namespace Twin.Observability.Tracing;

/// <summary>
/// What the pipeline knows about a generation that the LLM client's own span does not: the prompt it came from and
/// its cost. Set on the span that wraps the LLM call; copied onto the client's chat span when it ends.
/// </summary>
public sealed class GenerationDetails
{
    internal const string PropertyName = "twin.generation";

    public string? PromptName { get; set; }

    public int? PromptVersion { get; set; }

    /// <summary>
    /// Prices by the model that answered and the model asked for (<see cref="Llm.LlmPricing.For"/>); with the token usage
    /// on the client's span it gives the generation's cost.
    /// </summary>
    public Func<string?, string?, ModelPrice?>? PriceOf { get; set; }

    public void AttachTo(Activity activity) => activity.SetCustomProperty(PropertyName, this);

    public static GenerationDetails? Of(Activity? activity) => activity?.GetCustomProperty(PropertyName) as GenerationDetails;

    internal void WriteTo(Activity generation)
    {
        generation.SetTag(LangfuseAttributes.ObservationType, ObservationTypes.Generation);
        if (PromptName is not null)
        {
            generation.SetTag(LangfuseAttributes.PromptName, PromptName);
            generation.SetTag(LangfuseAttributes.PromptVersion, PromptVersion);
        }

        if (UsageOf(generation) is not { } usage)
        {
            return;
        }

        generation.SetTag(LangfuseAttributes.UsageDetails, usage.ToLangfuseJson());
        var price = PriceOf?.Invoke(generation.GetTagItem(GenAiAttributes.ResponseModel) as string, generation.GetTagItem(GenAiAttributes.RequestModel) as string);
        if (price is not null)
        {
            generation.SetTag(LangfuseAttributes.CostDetails, price.CostOf(usage).ToLangfuseJson());
        }
    }

    // The client's span has usage only when the provider reported it; no usage is no cost, never a zero one.
    private static TokenUsage? UsageOf(Activity generation) =>
        generation.GetTagItem(GenAiAttributes.InputTokens) is null && generation.GetTagItem(GenAiAttributes.OutputTokens) is null
            ? null
            : new TokenUsage(Count(generation, GenAiAttributes.InputTokens), Count(generation, GenAiAttributes.OutputTokens), Count(generation, GenAiAttributes.CachedInputTokens));

    private static long Count(Activity span, string tag) =>
        span.GetTagItem(tag) is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;
}
