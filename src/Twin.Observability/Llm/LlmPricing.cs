using Microsoft.Extensions.Options;
using Twin.Observability.Tracing;

namespace Twin.Observability.Llm;

/// <summary>Prices of models: the offline responder is free; others cost what <c>Llm:Prices</c> says, or have no known cost.</summary>
public sealed class LlmPricing(IOptions<LlmOptions> options)
{
    public ModelPrice? For(string model) =>
        model == OfflineChatClient.ModelId ? ModelPrice.Free
        : options.Value.Prices.TryGetValue(model, out var price) ? new ModelPrice(price.InputPerMillionUsd, price.OutputPerMillionUsd)
        : null;
}
