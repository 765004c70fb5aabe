using Twin.Observability.Datasets;
using Xunit;

namespace Twin.Observability.Tests.Datasets;

public sealed class MinHashTests
{
    // Rewordings a user sends again: plurals, stop words, punctuation, case and order change; the content words do not.
    public static TheoryData<string, string> Paraphrases => new()
    {
        { "Which tool do you like for tracing LLM apps?", "Which tools do you like for tracing LLM apps" },
        { "What bread do you bake at the weekend?", "At the weekend, what breads do you bake?" },
        { "Tell me about your favourite tracing tools for LLM applications", "your favourite tracing tool for LLM applications?" },
        { "How do you deploy Azure Functions with Bicep and azd", "How did you deploy azure functions with bicep and AZD?" },
        { "Do you prefer sourdough or rye bread when baking on Sundays?", "Sourdough or rye bread: which do you prefer when baking on Sundays" },
        { "What is your opinion on observability for language model agents in production systems?", "What's your opinion on observability for language model agents in production systems" },
    };

    [Theory]
    [MemberData(nameof(Paraphrases))]
    public void Paraphrases_at_or_above_the_threshold_share_a_band(string first, string second)
    {
        var a = MinHash.WordHashesOf(first);
        var b = MinHash.WordHashesOf(second);

        Assert.True(MinHash.Jaccard(a, b) >= 0.85, $"Jaccard {MinHash.Jaccard(a, b)}");
        Assert.Contains(MinHash.BandKeysOf(a).Zip(MinHash.BandKeysOf(b)), pair => pair.First == pair.Second);
    }

    [Fact]
    public void Recall_at_the_threshold_is_complete_and_unrelated_inputs_rarely_meet()
    {
        // 2,000 pairs of 13-word sets differing by one word (Jaccard 12/14 = 0.857, just above the default 0.85), and
        // 2,000 pairs of 13-word sets sharing 6 words (Jaccard 6/20 = 0.3). 32 bands × 4 rows: P(candidate) =
        // 1 − (1 − s⁴)³², which is 1 − 10⁻¹⁰ at 0.857 and 23 % at 0.3 (those are read and dropped by exact Jaccard).
        // The random words are seeded, so the counts are the same on every run.
        var random = new Random(23);
        string Word() => "w" + random.Next(1_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nearMissed = 0;
        var farMet = 0;
        for (var i = 0; i < 2000; i++)
        {
            var shared = Enumerable.Range(0, 12).Select(_ => Word()).ToList();
            nearMissed += SharesABand([.. shared, Word()], [.. shared, Word()]) ? 0 : 1;
            var common = Enumerable.Range(0, 6).Select(_ => Word()).ToList();
            farMet += SharesABand([.. common, .. Enumerable.Range(0, 7).Select(_ => Word())], [.. common, .. Enumerable.Range(0, 7).Select(_ => Word())]) ? 1 : 0;
        }

        Assert.Equal(0, nearMissed);
        Assert.InRange(farMet, 380, 540);
    }

    [Fact]
    public void Exact_Jaccard_is_computed_over_the_content_words()
    {
        Assert.Equal(1.0, MinHash.Jaccard(MinHash.WordHashesOf("The tools!"), MinHash.WordHashesOf("tool")));
        Assert.Equal(0.5, MinHash.Jaccard(MinHash.WordHashesOf("bread rye"), MinHash.WordHashesOf("bread rye sourdough oven")));
        Assert.Equal(0.0, MinHash.Jaccard(MinHash.WordHashesOf("bread"), MinHash.WordHashesOf("tracing")));
        Assert.Equal(1.0, MinHash.Jaccard(MinHash.WordHashesOf("the a of"), MinHash.WordHashesOf("")));
    }

    [Fact]
    public void Signatures_are_stable_across_processes_and_releases()
    {
        // Stored buckets are found again only if the same text gives the same keys forever: fixed seeds, no randomised string hashing.
        var keys = MinHash.BandKeysOf(MinHash.WordHashesOf("Which tool do you like for tracing LLM apps?"));

        Assert.Equal(MinHash.Bands, keys.Length);
        Assert.Equal(GoldenFirstKey, keys[0].ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
    }

    private const string GoldenFirstKey = "25cccc2997bc3ac2";

    private static bool SharesABand(IEnumerable<string> a, IEnumerable<string> b) =>
        MinHash.BandKeysOf(MinHash.HashWords(a)).Zip(MinHash.BandKeysOf(MinHash.HashWords(b))).Any(pair => pair.First == pair.Second);
}
