using Twin.Observability.Compare;
using Xunit;

namespace Twin.Observability.Tests.Compare;

public sealed class WordDiffTests
{
    [Fact]
    public void A_changed_word_is_one_delete_and_one_insert_between_equal_runs()
    {
        var diff = WordDiff.Of("I bake sourdough bread every weekend.", "I bake rye bread every weekend.");

        Assert.Equal(
            [
                new DiffRun("equal", "I bake "),
                new DiffRun("delete", "sourdough"),
                new DiffRun("insert", "rye"),
                new DiffRun("equal", " bread every weekend."),
            ],
            diff.Runs);
        Assert.True(diff.Changed);
        Assert.InRange(diff.Similarity, 0.8, 0.99);
    }

    [Theory]
    [InlineData("My editor is Visual Studio Code.", "My favourite editor is Visual Studio Code, mostly.")]
    [InlineData("Langfuse traces every chat.", "")]
    [InlineData("", "A reply appeared.")]
    [InlineData("one two three", "three two one")]
    public void Equal_and_deleted_runs_spell_the_first_text_and_equal_and_inserted_runs_the_second(string a, string b)
    {
        var diff = WordDiff.Of(a, b);

        Assert.Equal(a, string.Concat(diff.Runs!.Where(r => r.Op != "insert").Select(r => r.Text)));
        Assert.Equal(b, string.Concat(diff.Runs!.Where(r => r.Op != "delete").Select(r => r.Text)));
        // Adjacent runs never share an op: they are merged.
        Assert.All(diff.Runs!.Zip(diff.Runs!.Skip(1)), p => Assert.NotEqual(p.First.Op, p.Second.Op));
    }

    [Fact]
    public void Identical_texts_are_one_equal_run_with_similarity_one()
    {
        var diff = WordDiff.Of("I store tables in Azure Table Storage.", "I store tables in Azure Table Storage.");

        Assert.Equal([new DiffRun("equal", "I store tables in Azure Table Storage.")], diff.Runs);
        Assert.False(diff.Changed);
        Assert.Equal(1, diff.Similarity);
    }

    [Fact]
    public void Empty_or_missing_texts_are_alike_and_one_empty_side_is_all_insert_or_delete()
    {
        var none = WordDiff.Of(null, "");
        Assert.Empty(none.Runs!);
        Assert.False(none.Changed);
        Assert.Equal(1, none.Similarity);

        var added = WordDiff.Of("", "New words");
        Assert.Equal([new DiffRun("insert", "New words")], added.Runs);
        Assert.Equal(0, added.Similarity);
        Assert.True(added.Changed);

        var removed = WordDiff.Of("Old words", null);
        Assert.Equal([new DiffRun("delete", "Old words")], removed.Runs);
        Assert.Equal(0, removed.Similarity);
    }

    [Fact]
    public void Texts_sharing_nothing_have_similarity_zero_and_batch_answers_drop_the_runs()
    {
        var diff = WordDiff.Of("alpha", "omega");

        Assert.Equal(0, diff.Similarity);
        Assert.Null(diff.WithoutRuns().Runs);
        Assert.Equal(diff.Similarity, diff.WithoutRuns().Similarity);
    }
}
