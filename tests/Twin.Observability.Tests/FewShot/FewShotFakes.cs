using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Chat.FewShot;
using Twin.Observability.Datasets;

namespace Twin.Observability.Tests.FewShot;

/// <summary>A dataset store holding items in memory that counts the listings and can fail.</summary>
internal sealed class CountingDatasetStore : IDatasetStore
{
    private int _listings;

    public List<DatasetItem> Items { get; } = [];

    public bool Fail { get; set; }

    public int Listings => Volatile.Read(ref _listings);

    public List<string> ListedNames { get; } = [];

    public CountingDatasetStore Add(string id, string message, string reply, string? conversationId = null)
    {
        var metadata = new JsonObject { ["collectedFrom"] = "evaluation" };
        if (conversationId is not null)
        {
            metadata["conversationId"] = conversationId;
        }

        Items.Add(new DatasetItem(id, "twin-ada", new JsonObject { ["message"] = message }, new JsonObject { ["reply"] = reply }, metadata, "trace-" + id));
        return this;
    }

    public async IAsyncEnumerable<DatasetItem> ListItemsAsync(string datasetName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _listings);
        lock (ListedNames)
        {
            ListedNames.Add(datasetName);
        }

        await Task.Yield();
        if (Fail)
        {
            throw new InvalidOperationException("store down");
        }

        foreach (var item in Items.ToList())
        {
            yield return item;
        }
    }

    public Task EnsureDatasetAsync(string name, string description, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> ItemExistsAsync(string datasetName, string itemId, CancellationToken cancellationToken) => Task.FromResult(Items.Exists(i => i.Id == itemId));

    public Task UpsertItemAsync(DatasetItem item, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<int> CountItemsAsync(string datasetName, CancellationToken cancellationToken) => Task.FromResult(Items.Count);

    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<IReadOnlyList<DatasetSummary>> ListDatasetsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DatasetSummary>>([]);
}

/// <summary>Embeds a text as which of a few topics' words it mentions, so "kitten" and "cat" meet where words do not.</summary>
internal sealed class TopicEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private static readonly string[][] Topics =
    [
        ["cat", "kitten", "feline", "purr"],
        ["car", "engine", "vehicle", "drive"],
        ["cake", "bake", "oven", "flour"],
    ];

    public int Calls { get; private set; }

    public int Texts { get; private set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = values.ToList();
        Calls++;
        Texts += list.Count;
        var embeddings = list.Select(text =>
        {
            var lower = text.ToLowerInvariant();
            return new Embedding<float>(Topics.Select(t => (float)t.Count(w => lower.Contains(w, StringComparison.Ordinal))).ToArray());
        });
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(embeddings));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

internal static class FewShotTesting
{
    public static DatasetFewShotSelector Selector(
        CountingDatasetStore store,
        FewShotOptions? options = null,
        TimeProvider? time = null,
        ILogger<DatasetFewShotSelector>? logger = null,
        IEmbeddingGenerator<string, Embedding<float>>? embeddings = null) =>
        new(store, Options.Create(options ?? new FewShotOptions()), Options.Create(new DatasetOptions()), time ?? new FakeTimeProvider(), logger ?? NullLogger<DatasetFewShotSelector>.Instance, embeddings);

    /// <summary>Unrelated items that give the words realistic rarity.</summary>
    public static CountingDatasetStore WithBackground(this CountingDatasetStore store) => store
        .Add("bg1", "What is your favourite food?", "Pasta, mostly.")
        .Add("bg2", "Where did you study?", "In Lyon.")
        .Add("bg3", "Which books do you read at night?", "Detective novels.")
        .Add("bg4", "Do you like hiking in the mountains?", "Every summer.")
        .Add("bg5", "What music helps you focus?", "Quiet jazz.");
}
