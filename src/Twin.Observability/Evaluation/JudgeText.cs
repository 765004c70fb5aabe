using System.Text.RegularExpressions;
using Twin.Observability.Common;

namespace Twin.Observability.Evaluation;

/// <summary>
/// Text handling shared by the heuristic judges: content terms (the retriever's content words with a few more
/// function words dropped and common suffixes folded, so "tracing" meets "traced"), sentences and word counts.
/// </summary>
internal static partial class JudgeText
{
    // Beyond the retriever's list: contraction fragments ("I've" → "ve") and function words that would let any two
    // sentences overlap. Kept here so retrieval's ranking is not changed by the judges' needs.
    private static readonly HashSet<string> ExtraStopWords = new(StringComparer.Ordinal)
    {
        "ve", "ll", "re", "don", "didn", "doesn", "isn", "wasn", "won", "aren", "haven", "couldn", "wouldn", "shouldn", "im",
        "am", "were", "been", "being", "has", "had", "will", "would", "could", "should", "shall", "may", "might", "must",
        "we", "our", "us", "they", "them", "their", "he", "she", "him", "her", "his", "its", "there", "here", "these", "those",
        "if", "then", "than", "also", "just", "really", "very", "too", "all", "some", "more", "most", "much", "many", "such",
        "into", "over", "out", "up", "not", "no", "yes", "only", "own", "same", "other", "mine", "myself", "yourself", "ever",
        "every", "each", "both", "either", "one", "get", "got", "let", "oh", "well", "sure", "thing", "way", "lot",
        "hi", "hello", "hey", "thanks", "thank", "please",
    };

    /// <summary>Distinct content terms of <paramref name="text"/>, suffix-folded.</summary>
    public static HashSet<string> Terms(string text) => TermWords(text).Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Each content term of <paramref name="text"/> with the first word it came from, for comments people read ("prize", not "priz").</summary>
    public static Dictionary<string, string> TermWords(string text)
    {
        var terms = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in ContentWords.Of(Normalise(text)).Where(w => !ExtraStopWords.Contains(w)))
        {
            terms.TryAdd(FoldSuffix(word), word);
        }

        return terms;
    }

    /// <summary>Sentences split at ., ! or ? followed by white space, or at line breaks; empty ones dropped.</summary>
    public static IReadOnlyList<string> Sentences(string text) =>
        SentenceBreak().Split(Normalise(text)).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

    /// <summary>Words as a reader counts them: "I've" is one word.</summary>
    public static int WordCount(string text) => Word().Count(Normalise(text));

    /// <summary>Curly quotes become straight ones so patterns need only one spelling of "I'm".</summary>
    public static string Normalise(string text) => text.Replace('\u2019', '\'').Replace('\u2018', '\'').Replace('\u201C', '"').Replace('\u201D', '"');

    /// <summary>A short quote of <paramref name="text"/> for comments.</summary>
    public static string Quote(string text, int max = 80)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return "\"" + (flat.Length <= max ? flat : flat[..(max - 1)].TrimEnd() + "…") + "\"";
    }

    // A light stemmer: enough to match inflections in short chat replies, and predictable enough to explain.
    private static string FoldSuffix(string word)
    {
        foreach (var suffix in new[] { "ing", "ed", "ly", "e" })
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal) && word.Length - suffix.Length >= 4)
            {
                return word[..^suffix.Length];
            }
        }

        return word;
    }

    [GeneratedRegex(@"(?<=[.!?])\s+|[\r\n]+", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:'[\p{L}]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
