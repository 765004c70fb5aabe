using Microsoft.Extensions.Options;
using Twin.Observability.Tracing;

namespace Twin.Observability.Llm;

/// <summary>
/// Prices of models: the offline responder is free; others cost what <c>Llm:Prices</c> says, or have no known cost
/// (never a guessed one). A generation is priced by the model that answered, then the model asked for (the app's
/// configured model when the request named none), each first exactly and then by a dated or versioned name
/// (<see cref="ModelNames"/>).
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

    private ModelPrice? ByPrefix(string? model) =>
        ModelNames.Resolve(model, options.Value.Prices.Keys) is { } name ? ToPrice(options.Value.Prices[name]) : null;

    private static ModelPrice ToPrice(ModelPriceOptions price) =>
        new(price.InputPerMillionUsd, price.OutputPerMillionUsd, price.CachedInputPerMillionUsd);
}
