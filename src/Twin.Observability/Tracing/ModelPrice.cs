namespace Twin.Observability.Tracing;

/// <summary>A model's price in US dollars per million input and output tokens.</summary>
public sealed record ModelPrice(decimal InputPerMillionUsd, decimal OutputPerMillionUsd)
{
    public static ModelPrice Free { get; } = new(0, 0);

    public decimal Cost(long inputTokens, long outputTokens) =>
        ((inputTokens * InputPerMillionUsd) + (outputTokens * OutputPerMillionUsd)) / 1_000_000m;
}
