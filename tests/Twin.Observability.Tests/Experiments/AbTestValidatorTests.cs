using Twin.Observability.Common;
using Twin.Observability.Experiments;
using Xunit;

namespace Twin.Observability.Tests.Experiments;

public sealed class AbTestValidatorTests
{
    [Fact]
    public void A_valid_request_passes() =>
        AbTestValidator.Validate(Request(new AbTestVariant { Name = "A" }, new AbTestVariant { Name = "B", Weight = 3, Model = "gpt-4.1", Temperature = 0.2 }), DateTimeOffset.UtcNow);

    [Fact]
    public void Weights_names_versions_and_temperatures_are_checked_per_variant()
    {
        var errors = Errors(Request(
            new AbTestVariant { Name = "A", Weight = 0 },
            new AbTestVariant { Name = "a", Weight = -1 },
            new AbTestVariant { Name = "bad name", PromptLabel = "x", PromptVersion = 2, Temperature = 3 }));

        Assert.Contains("variants[0].weight", errors);
        Assert.Contains("variants[1].weight", errors);
        Assert.Contains("variants[1].name", errors);
        Assert.Contains("variants[2].name", errors);
        Assert.Contains("variants[2].promptVersion", errors);
        Assert.Contains("variants[2].temperature", errors);
    }

    [Fact]
    public void Too_few_or_too_many_variants_and_bad_metrics_are_refused()
    {
        Assert.Contains("variants", Errors(Request(new AbTestVariant { Name = "A" })));
        Assert.Contains("variants", Errors(Request([.. Enumerable.Range(0, 11).Select(i => new AbTestVariant { Name = "v" + i })])));
        var errors = Errors(new AbTestRequest { Name = "", TwinId = "a/b", Variants = [new() { Name = "A" }, new() { Name = "B" }], PrimaryMetric = "Relevance!", MinSamples = 0, SecondaryMetrics = ["ok_metric", "BAD"] });
        Assert.Equal(["minSamples", "name", "primaryMetric", "secondaryMetrics", "twinId"], errors.Order(StringComparer.Ordinal));
    }

    private static AbTestRequest Request(params AbTestVariant[] variants) =>
        new() { Name = "prompt v2", TwinId = "ada", Variants = [.. variants], PrimaryMetric = "relevance" };

    private static IReadOnlyCollection<string> Errors(AbTestRequest request) =>
        Assert.Throws<RequestValidationException>(() => AbTestValidator.Validate(request, DateTimeOffset.UtcNow)).Errors.Keys.ToList();
}
