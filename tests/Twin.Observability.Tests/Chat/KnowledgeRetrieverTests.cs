using Twin.Observability.Chat;
using Xunit;

namespace Twin.Observability.Tests.Chat;

public sealed class KnowledgeRetrieverTests
{
    private static readonly string[] Snippets =
    [
        "I bake sourdough bread every weekend.",
        "My favourite tracing tool is Langfuse.",
        "I climb on Saturdays and sometimes bake cakes.",
        "I have built observability tools for twelve years.",
    ];

    [Fact]
    public void The_snippet_sharing_the_rarest_words_ranks_first()
    {
        var results = KnowledgeRetriever.Retrieve("Which tracing tool do you like?", Snippets, 3);

        Assert.Equal(1, results[0].Index);
    }

    [Fact]
    public void Plurals_match_and_weak_matches_are_dropped()
    {
        var results = KnowledgeRetriever.Retrieve("Do you bake sourdough breads?", Snippets, 3);

        Assert.Equal(0, results[0].Index);
        Assert.All(results, r => Assert.True(r.Score >= results[0].Score * 0.5));
    }

    [Theory]
    [InlineData("what is the")]
    [InlineData("")]
    [InlineData("quantum chromodynamics")]
    public void Nothing_is_retrieved_without_a_meaningful_overlap(string query)
    {
        Assert.Empty(KnowledgeRetriever.Retrieve(query, Snippets, 3));
    }
}
