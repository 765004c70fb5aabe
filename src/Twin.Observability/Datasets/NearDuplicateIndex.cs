using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Datasets;

/// <summary>
/// The content words of every input collected into a dataset (<c>DatasetFingerprints</c>: partition = dataset, row =
/// item id), kept by the app whichever store holds the items, so near-duplicate checks never page through Langfuse.
/// Similarity is the Jaccard index of the two word sets: rephrasings with the same words match, new questions do not.
/// </summary>
public sealed class NearDuplicateIndex(TableServiceClient tables)
{
    private const int MaxWords = 200;
    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.DatasetFingerprints));

    /// <summary>The id of a collected item (other than <paramref name="itemId"/>) whose input is at least <paramref name="threshold"/> similar, or null.</summary>
    public async Task<string?> FindSimilarAsync(string datasetName, string itemId, string input, double threshold, CancellationToken cancellationToken)
    {
        var words = WordsOf(input);
        var partition = DatasetKeys.Of(datasetName);
        await foreach (var row in _store.QueryAllAsync($"PartitionKey eq {partition}", cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey != itemId && Similarity(words, (row.GetString("Words") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)) >= threshold)
            {
                return row.RowKey;
            }
        }

        return null;
    }

    public Task AddAsync(string datasetName, string itemId, string input, CancellationToken cancellationToken) =>
        _store.UpsertAsync(new TableEntity(DatasetKeys.Of(datasetName), itemId) { ["Words"] = string.Join(' ', WordsOf(input).Order(StringComparer.Ordinal)) }, cancellationToken);

    public static double Similarity(IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        if (a.Count == 0 && b.Count == 0)
        {
            return 1;
        }

        var shared = a.Count(b.Contains);
        return (double)shared / (a.Count + b.Count - shared);
    }

    public static HashSet<string> WordsOf(string text) =>
        ContentWords.Of(text).Distinct().Take(MaxWords).ToHashSet(StringComparer.Ordinal);
}
