using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Datasets;

namespace Twin.Observability.Chat.FewShot;

/// <summary>
/// Few-shot examples from the twin's own dataset (<see cref="DatasetOptions.DatasetNameFor"/>): up to
/// <see cref="FewShotOptions.MaxExamples"/> items chosen by maximal marginal relevance (λ·relevance to the message −
/// (1−λ)·the highest similarity to an example already chosen) among those at least <see cref="FewShotOptions.MinSimilarity"/>
/// similar, within <see cref="FewShotOptions.TokenBudget"/> (an example that would exceed it is skipped).
/// <para>
/// Exclusions: never an item whose message is the incoming one (trimmed, case-insensitive), so a replayed dataset item
/// does not see its own answer; never an item of the same conversation when its metadata names one (<c>conversationId</c>
/// or <c>sessionId</c>). Items collected today carry no conversation id, so for them the exclusion is by identical message only.
/// </para>
/// <para>
/// Each twin's index is built once, by its first chat, and cached; after <see cref="FewShotOptions.RefreshSeconds"/> the next
/// chat starts a rebuild in the background and keeps using the cached index until it is done. A dataset store that fails
/// logs a warning and leaves the twin without examples: the chat never fails because of few-shot.
/// With an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> registered, similarity is the cosine of embeddings
/// (the items' computed once per build, the message's once per chat); otherwise it is lexical (<see cref="FewShotIndex"/>).
/// </para>
/// </summary>
public sealed partial class DatasetFewShotSelector(
    IDatasetStore store,
    IOptions<FewShotOptions> options,
    IOptions<DatasetOptions> datasets,
    TimeProvider time,
    ILogger<DatasetFewShotSelector> logger,
    IEmbeddingGenerator<string, Embedding<float>>? embeddings = null) : IFewShotSelector
{
    private const int EmbeddingBatch = 64;

    private readonly ConcurrentDictionary<string, CachedIndex> _cache = new(StringComparer.Ordinal);

    public async Task<FewShotSelection> SelectAsync(string twinId, string message, string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(twinId);
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var max = settings.MaxExamplesFor(twinId);
        if (!settings.EnabledFor(twinId) || max <= 0 || string.IsNullOrWhiteSpace(message))
        {
            return FewShotSelection.Empty(message);
        }

        try
        {
            var index = await IndexOfAsync(twinId, cancellationToken).ConfigureAwait(false);
            if (index.Count == 0)
            {
                return FewShotSelection.Empty(message);
            }

            var candidates = await SimilaritiesAsync(twinId, index, message, settings.MinSimilarity, cancellationToken).ConfigureAwait(false);
            var picked = MarginalRelevance.Pick(index, candidates, message, conversationId, max, settings.TokenBudget, settings.Lambda);
            var messages = new List<ChatMessage>(picked.Count * 2);
            foreach (var p in picked)
            {
                var example = index.Examples[p.Index];
                messages.Add(new ChatMessage(ChatRole.User, example.Message));
                messages.Add(new ChatMessage(ChatRole.Assistant, example.Reply));
            }

            return new FewShotSelection(
                message,
                messages,
                picked.Select(p => new SelectedFewShotExample(index.Examples[p.Index].ItemId, p.Similarity, index.Examples[p.Index].SourceTraceId)).ToList());
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogSelectionFailed(ex, twinId);
            return FewShotSelection.Empty(message);
        }
    }

    private async Task<List<ScoredExample>> SimilaritiesAsync(string twinId, FewShotIndex index, string message, double minimum, CancellationToken cancellationToken)
    {
        if (index.HasEmbeddings && embeddings is not null)
        {
            try
            {
                var query = await embeddings.GenerateAsync([message], cancellationToken: cancellationToken).ConfigureAwait(false);
                return index.Similarities(query[0].Vector.Span, minimum);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogEmbeddingFailed(ex, twinId);
            }
        }

        return index.Similarities(message, minimum);
    }

    private async Task<FewShotIndex> IndexOfAsync(string twinId, CancellationToken cancellationToken)
    {
        var cached = _cache.GetOrAdd(twinId, static _ => new CachedIndex());
        Task<FewShotIndex> current;
        Task<Task<FewShotIndex>>? firstBuild = null;
        lock (cached.Gate)
        {
            if (cached.Index is null)
            {
                // The twin's first chat builds the index, outside the lock; its other chats wait for the same build.
                firstBuild = new Task<Task<FewShotIndex>>(() => BuildAsync(twinId, cached, previous: null));
                cached.Index = firstBuild.Unwrap();
            }
            else if (cached.Refresh is null && cached.Index.IsCompleted
                && time.GetUtcNow() - cached.BuiltAt >= TimeSpan.FromSeconds(options.Value.RefreshSeconds))
            {
                var previous = cached.Index.Result;
                cached.Refresh = Task.Run(() => RefreshAsync(twinId, cached, previous), CancellationToken.None);
            }

            current = cached.Index;
        }

        firstBuild?.RunSynchronously(TaskScheduler.Default);

        // The build is shared by the twin's chats: one chat giving up does not cancel it.
        return await current.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RefreshAsync(string twinId, CachedIndex cached, FewShotIndex previous)
    {
        var rebuilt = await BuildAsync(twinId, cached, previous).ConfigureAwait(false);
        lock (cached.Gate)
        {
            cached.Index = Task.FromResult(rebuilt);
            cached.Refresh = null;
        }
    }

    /// <summary>Builds the twin's index; a failure keeps <paramref name="previous"/> (empty on the first build) until the next refresh.</summary>
    private async Task<FewShotIndex> BuildAsync(string twinId, CachedIndex cached, FewShotIndex? previous)
    {
        var dataset = datasets.Value.DatasetNameFor(twinId);
        FewShotIndex index;
        try
        {
            var examples = new List<FewShotExample>();
            await foreach (var item in store.ListItemsAsync(dataset, CancellationToken.None).ConfigureAwait(false))
            {
                if (ExampleOf(item) is { } example)
                {
                    examples.Add(example);
                }
            }

            index = new FewShotIndex(examples, await EmbedAsync(twinId, examples).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            LogBuildFailed(ex, twinId, dataset);
            index = previous ?? FewShotIndex.Empty;
        }

        lock (cached.Gate)
        {
            cached.BuiltAt = time.GetUtcNow();
        }

        return index;
    }

    private async Task<IReadOnlyList<ReadOnlyMemory<float>>?> EmbedAsync(string twinId, List<FewShotExample> examples)
    {
        if (embeddings is null || examples.Count == 0)
        {
            return null;
        }

        try
        {
            var vectors = new List<ReadOnlyMemory<float>>(examples.Count);
            foreach (var batch in examples.Chunk(EmbeddingBatch))
            {
                var generated = await embeddings.GenerateAsync(batch.Select(e => e.Message), cancellationToken: CancellationToken.None).ConfigureAwait(false);
                vectors.AddRange(generated.Select(g => g.Vector));
            }

            return vectors.Count == examples.Count ? vectors : null;
        }
        catch (Exception ex)
        {
            // Words still find examples.
            LogEmbeddingFailed(ex, twinId);
            return null;
        }
    }

    private static FewShotExample? ExampleOf(DatasetItem item)
    {
        var message = Text(item.Input, "message");
        var reply = Text(item.ExpectedOutput, "reply");
        if (string.IsNullOrWhiteSpace(message) || string.IsNullOrWhiteSpace(reply))
        {
            return null;
        }

        var conversation = Text(item.Metadata, "conversationId") ?? Text(item.Metadata, "sessionId");
        return new FewShotExample(item.Id, message, reply, item.SourceTraceId, conversation);
    }

    private static string? Text(System.Text.Json.Nodes.JsonObject? json, string name) =>
        json?[name] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>For tests: the background refresh of a twin's index, when one runs.</summary>
    internal Task RefreshOf(string twinId)
    {
        if (!_cache.TryGetValue(twinId, out var cached))
        {
            return Task.CompletedTask;
        }

        lock (cached.Gate)
        {
            return cached.Refresh ?? Task.CompletedTask;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Few-shot examples of twin {TwinId} unavailable: dataset {Dataset} could not be read; the twin gets none until the next refresh")]
    private partial void LogBuildFailed(Exception exception, string twinId, string dataset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Few-shot embeddings for twin {TwinId} failed; similarity falls back to words")]
    private partial void LogEmbeddingFailed(Exception exception, string twinId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Few-shot selection for twin {TwinId} failed; the chat goes on without examples")]
    private partial void LogSelectionFailed(Exception exception, string twinId);

    private sealed class CachedIndex
    {
        public Lock Gate { get; } = new();

        public Task<FewShotIndex>? Index { get; set; }

        public Task? Refresh { get; set; }

        public DateTimeOffset BuiltAt { get; set; }
    }
}
