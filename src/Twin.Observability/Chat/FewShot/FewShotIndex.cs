using Twin.Observability.Common;

namespace Twin.Observability.Chat.FewShot;

/// <summary>One dataset item as a candidate example: the message a twin was given and the reply it is expected to give.</summary>
/// <param name="ConversationId">The conversation the item came from, when its metadata names one (<c>conversationId</c> or <c>sessionId</c>).</param>
public sealed record FewShotExample(string ItemId, string Message, string Reply, string? SourceTraceId, string? ConversationId = null)
{
    /// <summary>Approximate tokens of the pair: characters / 4, rounded up.</summary>
    public int Tokens { get; } = (Message.Length + Reply.Length + 3) / 4;

    /// <summary>The message as compared for "the same message": trimmed, case-insensitive.</summary>
    internal string Key { get; } = KeyOf(Message);

    internal static string KeyOf(string message) => message.Trim().ToUpperInvariant();
}

/// <summary>An example's position in the index and its similarity (0..1) to a query.</summary>
public readonly record struct ScoredExample(int Index, double Similarity);

/// <summary>
/// A twin's examples indexed for similarity search. Lexical similarity is the <b>cosine between BM25-weighted term
/// vectors</b> (the content words of <see cref="ContentWords"/>, the weights of <see cref="KnowledgeRetriever"/>'s BM25):
/// unlike dividing by the best score it is absolute, so <see cref="FewShotOptions.MinSimilarity"/> means the same for every
/// query, and it also gives the example-to-example similarity that maximal marginal relevance needs, in the same space.
/// Each document's weights are computed once at build; a query walks the postings of its own terms only
/// (O(query terms × postings)). When embeddings are given (one per example, computed once at build),
/// <see cref="Similarities(ReadOnlySpan{float}, double)"/> and <see cref="Similarity"/> use their cosine instead.
/// </summary>
public sealed class FewShotIndex
{
    private readonly Dictionary<string, int> _terms = new(StringComparer.Ordinal);
    private readonly double[] _idf;
    private readonly int[][] _postingDocs;
    private readonly double[][] _postingWeights;
    private readonly int[][] _docTerms;      // sorted term ids per document
    private readonly double[][] _docWeights; // BM25 weight per document term
    private readonly double[] _docNorms;
    private readonly float[][]? _embeddings; // unit length

    public static FewShotIndex Empty { get; } = new([], null);

    public FewShotIndex(IReadOnlyList<FewShotExample> examples, IReadOnlyList<ReadOnlyMemory<float>>? embeddings = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (embeddings is not null && embeddings.Count != examples.Count)
        {
            throw new ArgumentException("One embedding per example is needed.", nameof(embeddings));
        }

        Examples = examples;
        var count = examples.Count;
        var frequencies = new Dictionary<int, int>[count];
        var lengths = new int[count];
        for (var d = 0; d < count; d++)
        {
            var tf = new Dictionary<int, int>();
            foreach (var word in ContentWords.Of(examples[d].Message))
            {
                if (!_terms.TryGetValue(word, out var id))
                {
                    id = _terms.Count;
                    _terms.Add(word, id);
                }

                tf[id] = tf.GetValueOrDefault(id) + 1;
                lengths[d]++;
            }

            frequencies[d] = tf;
        }

        var containing = new int[_terms.Count];
        foreach (var tf in frequencies)
        {
            foreach (var id in tf.Keys)
            {
                containing[id]++;
            }
        }

        _idf = containing.Select(n => Idf(count, n)).ToArray();
        var averageLength = count == 0 ? 1 : Math.Max(lengths.Average(), 1);
        var postingDocs = Enumerable.Range(0, _terms.Count).Select(_ => new List<int>()).ToArray();
        var postingWeights = Enumerable.Range(0, _terms.Count).Select(_ => new List<double>()).ToArray();
        _docTerms = new int[count][];
        _docWeights = new double[count][];
        _docNorms = new double[count];
        for (var d = 0; d < count; d++)
        {
            var ids = frequencies[d].Keys.Order().ToArray();
            var weights = new double[ids.Length];
            var lengthFactor = 1 - KnowledgeRetriever.B + (KnowledgeRetriever.B * Math.Max(lengths[d], 1) / averageLength);
            for (var i = 0; i < ids.Length; i++)
            {
                var f = frequencies[d][ids[i]];
                weights[i] = _idf[ids[i]] * f * (KnowledgeRetriever.K1 + 1) / (f + (KnowledgeRetriever.K1 * lengthFactor));
                postingDocs[ids[i]].Add(d);
                postingWeights[ids[i]].Add(weights[i]);
            }

            _docTerms[d] = ids;
            _docWeights[d] = weights;
            _docNorms[d] = Math.Sqrt(weights.Sum(w => w * w));
        }

        _postingDocs = postingDocs.Select(p => p.ToArray()).ToArray();
        _postingWeights = postingWeights.Select(p => p.ToArray()).ToArray();
        _embeddings = embeddings?.Select(e => Normalised(e.Span)).ToArray();
    }

    public IReadOnlyList<FewShotExample> Examples { get; }

    public int Count => Examples.Count;

    /// <summary>Whether similarities come from embeddings rather than words.</summary>
    public bool HasEmbeddings => _embeddings is not null;

    /// <summary>The examples at least <paramref name="minimum"/> similar to the query's words (cosine of BM25 vectors), unordered.</summary>
    public List<ScoredExample> Similarities(string query, double minimum)
    {
        ArgumentNullException.ThrowIfNull(query);
        var queryTerms = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in ContentWords.Of(query))
        {
            queryTerms[word] = queryTerms.GetValueOrDefault(word) + 1;
        }

        var results = new List<ScoredExample>();
        if (queryTerms.Count == 0 || Count == 0)
        {
            return results;
        }

        var dots = new double[Count];
        var touched = new List<int>();
        var queryNormSquared = 0.0;
        foreach (var (word, f) in queryTerms)
        {
            var known = _terms.TryGetValue(word, out var id);
            // A word no example has still counts in the query's length: a query mostly about something else is less similar.
            var weight = (known ? _idf[id] : Idf(Count, 0)) * f * (KnowledgeRetriever.K1 + 1) / (f + KnowledgeRetriever.K1);
            queryNormSquared += weight * weight;
            if (!known)
            {
                continue;
            }

            var docs = _postingDocs[id];
            var weights = _postingWeights[id];
            for (var p = 0; p < docs.Length; p++)
            {
                if (dots[docs[p]] == 0)
                {
                    touched.Add(docs[p]);
                }

                dots[docs[p]] += weight * weights[p];
            }
        }

        var queryNorm = Math.Sqrt(queryNormSquared);
        foreach (var d in touched)
        {
            var similarity = Math.Min(1, dots[d] / (queryNorm * _docNorms[d]));
            if (similarity >= minimum)
            {
                results.Add(new ScoredExample(d, similarity));
            }
        }

        return results;
    }

    /// <summary>The examples at least <paramref name="minimum"/> similar to the query's embedding (cosine, negatives as 0), unordered.</summary>
    public List<ScoredExample> Similarities(ReadOnlySpan<float> queryEmbedding, double minimum)
    {
        var embeddings = _embeddings ?? throw new InvalidOperationException("The index has no embeddings.");
        var query = Normalised(queryEmbedding);
        var results = new List<ScoredExample>();
        for (var d = 0; d < embeddings.Length; d++)
        {
            var similarity = Math.Clamp(Dot(query, embeddings[d]), 0, 1);
            if (similarity >= minimum && similarity > 0)
            {
                results.Add(new ScoredExample(d, similarity));
            }
        }

        return results;
    }

    /// <summary>How similar two examples are (0..1), in the space the index searches: embeddings when it has them, words otherwise.</summary>
    public double Similarity(int a, int b)
    {
        if (_embeddings is not null)
        {
            return Math.Clamp(Dot(_embeddings[a], _embeddings[b]), 0, 1);
        }

        if (_docNorms[a] == 0 || _docNorms[b] == 0)
        {
            return 0;
        }

        // Merge of two sorted sparse vectors.
        var (ta, wa, tb, wb) = (_docTerms[a], _docWeights[a], _docTerms[b], _docWeights[b]);
        var dot = 0.0;
        for (int i = 0, j = 0; i < ta.Length && j < tb.Length;)
        {
            if (ta[i] == tb[j])
            {
                dot += wa[i++] * wb[j++];
            }
            else if (ta[i] < tb[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return Math.Min(1, dot / (_docNorms[a] * _docNorms[b]));
    }

    private static double Idf(int documents, int containing) => Math.Log(1 + ((documents - containing + 0.5) / (containing + 0.5)));

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static float[] Normalised(ReadOnlySpan<float> vector)
    {
        var norm = Math.Sqrt(Dot(vector, vector));
        var result = new float[vector.Length];
        for (var i = 0; i < vector.Length; i++)
        {
            result[i] = norm == 0 ? 0 : (float)(vector[i] / norm);
        }

        return result;
    }
}
