using Microsoft.Extensions.Options;
using Twin.Observability.Tracing;

namespace Twin.Observability.Llm;

/// <summary>
/// Prices of models: the offline responder is free; others cost what <c>Llm:Prices</c> says, or have no known cost
/// (never a guessed one). Providers answer with dated names (<c>gpt-4o-mini-2024-07-18</c> for <c>gpt-4o-mini</c>), so
/// a generation is priced by the model that answered, then the model asked for (the app's configured model when the
/// request named none), each first exactly and then by the longest configured name it starts with, followed by a
/// separator (so <c>gpt-4</c> never prices <c>gpt-4o</c>).
/// </summary>
public sealed class LlmPricing(IOptions<LlmOptions> options)
{
    public ModelPrice? For(string? responseModel, string? requestModel)
    {
        requestModel ??= options.Value.Model;
        return Exact(responseModel) ?? Exact(requestModel) ?? ByPrefix(responseModel) ?? ByPrefix(requestModel);
    }

    private ModelPrice? Exact(string? model) =>
        model is null ? null
        : model == OfflineChatClient.ModelId ? ModelPrice.Free
        : options.Value.Prices.TryGetValue(model, out var price) ? ToPrice(price)
        : null;

    private ModelPrice? ByPrefix(string? model)
    {
        if (string.IsNullOrEmpty(model))
        {
            return null;
        }

        KeyValuePair<string, ModelPriceOptions>? best = null;
        foreach (var entry in options.Value.Prices)
        {
            if (entry.Key.Length < model.Length
                && model.StartsWith(entry.Key, StringComparison.OrdinalIgnoreCase)
                && !char.IsAsciiLetterOrDigit(model[entry.Key.Length])
                && (best is null || entry.Key.Length > best.Value.Key.Length))
            {
                best = entry;
            }
        }

        return best is { } found ? ToPrice(found.Value) : null;
    }

    private static ModelPrice ToPrice(ModelPriceOptions price) =>
        new(price.InputPerMillionUsd, price.OutputPerMillionUsd, price.CachedInputPerMillionUsd);
}
