using Microsoft.Extensions.Options;
using Twin.Observability.Llm;
using Twin.Observability.Tracing;
using Xunit;

namespace Twin.Observability.Tests.Llm;

public sealed class LlmPricingTests
{
    private static readonly LlmPricing Pricing = PricingFor(model: null);

    private static LlmPricing PricingFor(string? model) => new(Options.Create(new LlmOptions
    {
        Model = model,
        Prices = new(StringComparer.OrdinalIgnoreCase)
        {
            ["gpt-4o"] = new() { InputPerMillionUsd = 2.5m, OutputPerMillionUsd = 10m },
            ["gpt-4o-mini"] = new() { InputPerMillionUsd = 0.15m, OutputPerMillionUsd = 0.6m, CachedInputPerMillionUsd = 0.075m },
            ["gpt-4"] = new() { InputPerMillionUsd = 30m, OutputPerMillionUsd = 60m },
        },
    }));

    [Theory]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini", 0.15)] // dated answer: the longest configured prefix
    [InlineData("gpt-4o-2024-08-06", null, 2.5)]
    [InlineData("GPT-4O-MINI", null, 0.15)]
    [InlineData("gpt-4-0613", null, 30)]
    [InlineData("gpt-4o-mini@2024.07", null, 0.15)]
    [InlineData("unpriced-model", "gpt-4o", 2.5)] // the requested model when the answering one has no price
    [InlineData("gpt-4o-2024-08-06", "gpt-4", 30)] // an exact request beats a prefix of the answer
    public void A_model_is_priced_by_its_answer_then_its_request_then_the_longest_prefix(string? responseModel, string? requestModel, double inputPrice)
    {
        Assert.Equal((decimal)inputPrice, Pricing.For(responseModel, requestModel)!.InputPerMillionUsd);
    }

    [Fact]
    public void A_request_that_named_no_model_is_priced_by_the_apps_configured_model()
    {
        Assert.Equal(0.15m, PricingFor("gpt-4o-mini").For(null, null)!.InputPerMillionUsd);
    }

    [Theory]
    [InlineData("gpt-4omni")] // a prefix counts only up to a separator
    [InlineData("gpt-4o-mini-2024-07-18")] // another model with a date, not a dated gpt-4o
    [InlineData("gpt-4o-prod")] // a deployment name, not a version
    [InlineData("gpt-4o-")]
    [InlineData("claude-3")]
    public void A_model_without_a_configured_price_or_prefix_has_no_price(string model)
    {
        var pricing = new LlmPricing(Options.Create(new LlmOptions { Prices = new(StringComparer.OrdinalIgnoreCase) { ["gpt-4o"] = new() { InputPerMillionUsd = 1 } } }));

        Assert.Null(pricing.For(model, null));
    }

    [Fact]
    public void Cached_input_tokens_cost_the_cached_price_and_the_cost_adds_up()
    {
        var cost = Pricing.For("gpt-4o-mini", null)!.CostOf(new TokenUsage(1_000_000, 100_000, CachedInput: 400_000));

        Assert.Equal((0.09m, 0.03m, 0.06m, 0.18m), (cost.Input, cost.CachedInput, cost.Output, cost.Total));
        Assert.Equal("""{"input":600000,"input_cached_tokens":400000,"output":100000,"total":1100000}""", new TokenUsage(1_000_000, 100_000, 400_000).ToLangfuseJson());
    }

    [Fact]
    public void The_offline_model_is_free()
    {
        Assert.Equal(0m, Pricing.For(OfflineChatClient.ModelId, null)!.CostOf(new TokenUsage(10, 10)).Total);
    }
}
