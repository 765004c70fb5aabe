using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Twin.Observability.Chat;
using Twin.Observability.Chat.FewShot;
using Twin.Observability.Datasets;

namespace Twin.Benchmarks;

/// <summary>
/// Dynamic few-shot selection over a twin's cached index of 10,000 dataset items (lexical: cosine of BM25 vectors,
/// then maximal marginal relevance for 3 examples). <c>Select</c> is the per-chat cost (goal ≤ 1 ms);
/// <c>BuildIndex</c> is the background rebuild every RefreshSeconds. Messages are 6–14 words drawn from a
/// 3,000-word Zipf-like vocabulary, so common words have long postings as in real chats.
/// </summary>
[MemoryDiagnoser]
public class FewShotBenchmarks
{
    private const int ItemCount = 10_000;

    private DatasetFewShotSelector _selector = null!;
    private List<FewShotExample> _examples = null!;
    private string[] _queries = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var vocabulary = Enumerable.Range(0, 3_000).Select(i => "w" + i.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "q").ToArray();
        string Sentence() => string.Join(' ', Enumerable.Range(0, random.Next(6, 15)).Select(_ => vocabulary[(int)(vocabulary.Length * Math.Pow(random.NextDouble(), 2.5))]));
        var store = new MemoryDatasetStore();
        _examples = [];
        for (var i = 0; i < ItemCount; i++)
        {
            var (message, reply) = (Sentence(), Sentence() + " " + Sentence());
            store.Items.Add(new DatasetItem($"item-{i}", "twin-ada", new JsonObject { ["message"] = message }, new JsonObject { ["reply"] = reply }, [], $"trace-{i}"));
            _examples.Add(new FewShotExample($"item-{i}", message, reply, $"trace-{i}"));
        }

        _queries = Enumerable.Range(0, 64).Select(_ => Sentence()).ToArray();
        _selector = new DatasetFewShotSelector(store, Options.Create(new FewShotOptions()), Options.Create(new DatasetOptions()), TimeProvider.System, NullLogger<DatasetFewShotSelector>.Instance);
        // The first chat builds the index; the benchmark measures the chats after it.
        _selector.SelectAsync("ada", _queries[0], "c", CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark]
    public FewShotSelection Select() =>
        _selector.SelectAsync("ada", _queries[_next++ & 63], "c", CancellationToken.None).GetAwaiter().GetResult();

    [Benchmark]
    public FewShotIndex BuildIndex() => new(_examples);

    private sealed class MemoryDatasetStore : IDatasetStore
    {
        public List<DatasetItem> Items { get; } = [];

        public async IAsyncEnumerable<DatasetItem> ListItemsAsync(string datasetName, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask.ConfigureAwait(false);
            foreach (var item in Items)
            {
                yield return item;
            }
        }

        public Task EnsureDatasetAsync(string name, string description, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> ItemExistsAsync(string datasetName, string itemId, CancellationToken cancellationToken) => Task.FromResult(Items.Exists(i => i.Id == itemId));

        public Task UpsertItemAsync(DatasetItem item, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<int> CountItemsAsync(string datasetName, CancellationToken cancellationToken) => Task.FromResult(Items.Count);

        public Task<IReadOnlyList<DatasetSummary>> ListDatasetsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DatasetSummary>>([]);
    }
}
