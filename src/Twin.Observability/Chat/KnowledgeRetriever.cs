using System.Text.RegularExpressions;

namespace Twin.Observability.Chat;

/// <summary>
/// Lexical retrieval over a twin's knowledge snippets: BM25 scoring of the message's words against each snippet.
/// Small and deterministic, it needs no embedding model, which keeps the offline mode honest and the tests exact.
/// </summary>
public static partial class KnowledgeRetriever
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "do", "does", "for", "from", "have", "how", "i", "in", "is", "it",
        "me", "my", "of", "on", "or", "so", "tell", "that", "the", "this", "to", "was", "what", "when", "where", "which", "who",
        "why", "with", "you", "your", "about", "can", "did", "any",
    };

    public static IReadOnlyList<RetrievedSnippet> Retrieve(string query, IReadOnlyList<string> snippets, int top)
    {
        var terms = ContentWords(query).Distinct().ToList();
        if (terms.Count == 0 || snippets.Count == 0)
        {
            return [];
        }

        var documents = snippets.Select(s => ContentWords(s).ToList()).ToList();
        var averageLength = documents.Average(d => (double)Math.Max(d.Count, 1));
        var results = new List<RetrievedSnippet>();
        for (var i = 0; i < documents.Count; i++)
        {
            var score = 0.0;
            foreach (var term in terms)
            {
                var frequency = documents[i].Count(w => w == term);
                if (frequency == 0)
                {
                    continue;
                }

                var containing = documents.Count(d => d.Contains(term));
                var idf = Math.Log(1 + ((documents.Count - containing + 0.5) / (containing + 0.5)));
                score += idf * (frequency * (K1 + 1)) / (frequency + (K1 * (1 - B + (B * documents[i].Count / averageLength))));
            }

            if (score > 0)
            {
                results.Add(new RetrievedSnippet(i, snippets[i], score));
            }
        }

        // Snippets far weaker than the best match are noise to the model and to the offline answer.
        var best = results.Count == 0 ? 0 : results.Max(r => r.Score);
        return results.Where(r => r.Score >= best * 0.5).OrderByDescending(r => r.Score).ThenBy(r => r.Index).Take(top).ToList();
    }

    /// <summary>The text's content words: lower-cased, plurals folded, stop words and single letters dropped.</summary>
    public static IEnumerable<string> ContentWords(string text) =>
        Word().Matches(text.ToLowerInvariant()).Select(m => Stem(m.Value)).Where(w => w.Length > 1 && !StopWords.Contains(w));

    // Folds plurals so "tools" finds "tool"; enough for short snippets without a full stemmer.
    private static string Stem(string word) => word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1] : word;

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}

/// <summary>A knowledge snippet chosen for a message, with its position in the twin's list and its score.</summary>
public sealed record RetrievedSnippet(int Index, string Text, double Score);
