using Twin.Observability.Common;

namespace Twin.Observability.Chat;

/// <summary>
/// Lexical retrieval over a twin's knowledge snippets: BM25 scoring of the message's words against each snippet.
/// Small and deterministic, it needs no embedding model, which keeps the offline mode honest and the tests exact.
/// </summary>
public static class KnowledgeRetriever
{
    internal const double K1 = 1.2;
    internal const double B = 0.75;

    public static IReadOnlyList<RetrievedSnippet> Retrieve(string query, IReadOnlyList<string> snippets, int top)
    {
        var terms = Words(query).Distinct().ToList();
        if (terms.Count == 0 || snippets.Count == 0)
        {
            return [];
        }

        var documents = snippets.Select(s => Words(s).ToList()).ToList();
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

    private static IEnumerable<string> Words(string text) => ContentWords.Of(text);
}

/// <summary>A knowledge snippet chosen for a message, with its position in the twin's list and its score.</summary>
public sealed record RetrievedSnippet(int Index, string Text, double Score);
