using Twin.Observability.Datasets.Export;
using Xunit;

namespace Twin.Observability.Tests.Datasets.Export;

public sealed class ExportSplitTests
{
    [Theory]
    [InlineData("Which tools do you use?", "which TOOL do you use")]
    [InlineData("Bread: what do you bake?", "What do you bake, bread")]
    public void Prompts_with_the_same_content_words_share_a_key(string a, string b) =>
        Assert.Equal(ExportSplit.PromptKeyOf(a), ExportSplit.PromptKeyOf(b));

    [Theory]
    [InlineData("Which tool do you use?", "Which bread do you bake?")]
    [InlineData("Who are you?", "What are you?")]
    public void Different_prompts_have_different_keys(string a, string b) =>
        Assert.NotEqual(ExportSplit.PromptKeyOf(a), ExportSplit.PromptKeyOf(b));

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    public void About_the_asked_share_of_keys_goes_to_validation_and_the_seed_moves_them(double share)
    {
        var keys = Enumerable.Range(0, 20_000).Select(i => ExportSplit.PromptKeyOf($"question number {i}")).ToList();

        var chosen = keys.Where(k => ExportSplit.IsValidation(k, 1, share)).ToHashSet();
        var reseeded = keys.Where(k => ExportSplit.IsValidation(k, 2, share)).ToHashSet();

        Assert.InRange(chosen.Count / 20_000.0, share - 0.02, share + 0.02);
        Assert.Equal(chosen, keys.Where(k => ExportSplit.IsValidation(k, 1, share)).ToHashSet());
        Assert.NotEqual(chosen, reseeded);
        Assert.DoesNotContain(keys, k => ExportSplit.IsValidation(k, 1, 0));
    }
}
