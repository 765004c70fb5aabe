namespace Twin.Observability.Llm;

/// <summary>One entry of <c>Llm:Prices</c>: USD per million input and output tokens.</summary>
public sealed class ModelPriceOptions
{
    public decimal InputPerMillionUsd { get; set; }

    public decimal OutputPerMillionUsd { get; set; }
}
