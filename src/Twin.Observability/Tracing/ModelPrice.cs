namespace Twin.Observability.Tracing;

/// <summary>
/// A model's price in US dollars per million tokens: input, output, and cached input (read from the provider's prompt
/// cache; the input price when the provider gives no discount).
/// </summary>
public sealed record ModelPrice(decimal InputPerMillionUsd, decimal OutputPerMillionUsd, decimal? CachedInputPerMillionUsd = null)
{
    public static ModelPrice Free { get; } = new(0, 0);

    public GenerationCost CostOf(TokenUsage usage) => new(
        usage.UncachedInput * InputPerMillionUsd / 1_000_000m,
        usage.CachedInput * (CachedInputPerMillionUsd ?? InputPerMillionUsd) / 1_000_000m,
        usage.Output * OutputPerMillionUsd / 1_000_000m);
}
