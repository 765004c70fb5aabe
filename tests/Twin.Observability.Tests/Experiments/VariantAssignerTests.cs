using Twin.Observability.Experiments;
using Xunit;

namespace Twin.Observability.Tests.Experiments;

public sealed class VariantAssignerTests
{
    [Theory]
    [InlineData(new[] { 1.0, 1.0 })]
    [InlineData(new[] { 70.0, 20.0, 10.0 })]
    [InlineData(new[] { 0.05, 0.95 })]
    public void Units_spread_over_the_variants_in_proportion_to_the_weights(double[] weights)
    {
        const int Units = 100_000;
        var cumulative = VariantAssigner.CumulativeWeights(weights);
        var counts = new int[weights.Length];
        for (var i = 0; i < Units; i++)
        {
            counts[VariantAssigner.Assign("test-1", "user-" + i, cumulative)]++;
        }

        var total = weights.Sum();
        for (var v = 0; v < weights.Length; v++)
        {
            Assert.InRange(counts[v] / (double)Units, (weights[v] / total) - 0.01, (weights[v] / total) + 0.01);
        }

        // The split itself must pass the sample-ratio check the results apply.
        Assert.False(AbTestStatistics.SampleRatio([.. counts.Select(c => (long)c)], weights).Mismatch);
    }

    [Fact]
    public void A_unit_keeps_its_variant_and_another_test_reshuffles_units()
    {
        var cumulative = VariantAssigner.CumulativeWeights([1, 1]);
        var first = Enumerable.Range(0, 1000).Select(i => VariantAssigner.Assign("test-a", "u" + i, cumulative)).ToList();

        Assert.Equal(first, Enumerable.Range(0, 1000).Select(i => VariantAssigner.Assign("test-a", "u" + i, cumulative)));
        var other = Enumerable.Range(0, 1000).Select(i => VariantAssigner.Assign("test-b", "u" + i, cumulative)).ToList();
        Assert.InRange(first.Zip(other).Count(p => p.First == p.Second), 400, 600);
    }

    [Fact]
    public void Ids_are_kept_apart_and_long_ids_work()
    {
        Assert.NotEqual(VariantAssigner.PointOf("ab", "c"), VariantAssigner.PointOf("a", "bc"));
        var longUnit = new string('x', 2000) + "é";
        Assert.Equal(VariantAssigner.PointOf("t", longUnit), VariantAssigner.PointOf("t", longUnit));
        Assert.InRange(VariantAssigner.PointOf("t", longUnit), 0, 1);
    }

    [Fact]
    public void Cumulative_weights_end_at_one()
    {
        Assert.Equal([0.7, 0.9, 1.0], VariantAssigner.CumulativeWeights([7, 2, 1]).Select(w => Math.Round(w, 12)));
    }
}
