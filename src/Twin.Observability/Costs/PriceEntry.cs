using Twin.Observability.Tracing;

namespace Twin.Observability.Costs;

/// <summary>One row of the price table: a model's prices from a moment on (earlier usage keeps the earlier price).</summary>
public sealed record PriceEntry(
    string Model,
    DateTimeOffset EffectiveFrom,
    decimal InputPerMillionUsd,
    decimal OutputPerMillionUsd,
    decimal? CachedInputPerMillionUsd,
    string Source)
{
    public ModelPrice Price => new(InputPerMillionUsd, OutputPerMillionUsd, CachedInputPerMillionUsd);
}
