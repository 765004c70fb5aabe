using System.Text.RegularExpressions;

namespace Twin.Observability.Common;

/// <summary>
/// The words of a text that carry its content: lower-cased letter/digit runs, plurals folded, stop words and single
/// letters dropped. Retrieval and the heuristic judges share it so "the reply overlaps the knowledge" means the same
/// thing as "the snippet matched the message".
/// </summary>
internal static partial class ContentWords
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "do", "does", "for", "from", "have", "how", "i", "in", "is", "it",
        "me", "my", "of", "on", "or", "so", "tell", "that", "the", "this", "to", "was", "what", "when", "where", "which", "who",
        "why", "with", "you", "your", "about", "can", "did", "any",
    };

    public static IEnumerable<string> Of(string text) =>
        Word().Matches(text.ToLowerInvariant()).Select(m => FoldPlural(m.Value)).Where(w => w.Length > 1 && !StopWords.Contains(w));

    // Folds plurals so "tools" finds "tool"; enough for short snippets without a full stemmer.
    private static string FoldPlural(string word) => word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1] : word;

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
