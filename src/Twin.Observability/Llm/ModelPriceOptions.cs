namespace Twin.Observability.Llm;

/// <summary>One entry of <c>Llm:Prices</c>: USD per million input, output and (optionally) cached input tokens.</summary>
public sealed class ModelPriceOptions
{
    public decimal InputPerMillionUsd { get; set; }

    public decimal OutputPerMillionUsd { get; set; }

    /// <summary>Input tokens read from the provider's prompt cache; the input price when not set.</summary>
    public decimal? CachedInputPerMillionUsd { get; set; }

    /// <summary>When this price took effect (the price table keeps the earlier one for earlier usage); the app's start when not set.</summary>
    public DateTimeOffset? EffectiveFrom { get; set; }
}
