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

    /// <summary>Prices by model name; with the model and token usage on the client's span it gives the generation's cost.</summary>
    public Func<string, ModelPrice?>? PriceOf { get; set; }

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

        var model = (generation.GetTagItem("gen_ai.response.model") ?? generation.GetTagItem("gen_ai.request.model")) as string;
        if (model is not null && PriceOf?.Invoke(model) is { } price)
        {
            var input = Convert.ToInt64(generation.GetTagItem("gen_ai.usage.input_tokens") ?? 0L, CultureInfo.InvariantCulture);
            var output = Convert.ToInt64(generation.GetTagItem("gen_ai.usage.output_tokens") ?? 0L, CultureInfo.InvariantCulture);
            generation.SetTag(LangfuseAttributes.CostDetails, string.Create(CultureInfo.InvariantCulture, $"{{\"total\":{price.Cost(input, output)}}}"));
        }
    }
}
