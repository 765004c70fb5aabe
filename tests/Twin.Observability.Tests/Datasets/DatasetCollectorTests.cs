using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Storage;
using Twin.Observability.Datasets;
using Twin.Observability.Evaluation;
using Microsoft.FeatureManagement;
using Twin.Observability.Features;
using Twin.Observability.Tests.Features;
using Xunit;

namespace Twin.Observability.Tests.Datasets;

[Collection(AzuriteCollection.Name)]
public sealed class DatasetCollectorTests
{
    private const string Root = "00f067aa0ba902b7";

    private readonly string _twinId = "t" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task A_turn_that_passes_every_threshold_becomes_an_item_of_the_twins_dataset()
    {
        var (collector, store) = await CreateAsync();

        var decision = await collector.CollectAsync(Turn("trace1", "Which tool do you use for tracing?"), Scores(0.9, 0.8, 1.0), default);

        Assert.True(decision.IsAdded, decision.Reason);
        Assert.Equal($"ds-{_twinId}", decision.Dataset);
        var item = Assert.Single(await TableDatasetStoreTests.ToListAsync(store.ListItemsAsync(decision.Dataset!, default)));
        Assert.Equal("trace1-" + Root, item.Id);
        Assert.Equal("trace1", item.SourceTraceId);
        Assert.Equal(Root, item.SourceObservationId);
        Assert.Equal("Which tool do you use for tracing?", (string?)item.Input["message"]);
        Assert.Equal("A reply.", (string?)item.ExpectedOutput["reply"]);
        Assert.Equal(0.8, (double?)item.Metadata["scores"]?["groundedness"]);
        Assert.Equal("twin-system", (string?)item.Metadata["promptName"]);
        Assert.Equal("twin-offline", (string?)item.Metadata["model"]);
    }

    [Theory]
    [InlineData(0.2, 0.9, 1.0, "relevance 0.2 is below 0.5")]
    [InlineData(0.9, 0.9, 0.5, "persona_consistency 0.5 is below 0.8")]
    public async Task A_turn_below_a_threshold_is_not_collected(double relevance, double groundedness, double persona, string reason)
    {
        var (collector, store) = await CreateAsync();

        var decision = await collector.CollectAsync(Turn("low", "Which tool do you use?"), Scores(relevance, groundedness, persona), default);

        Assert.False(decision.IsAdded);
        Assert.Equal(reason, decision.Reason);
        Assert.Empty(await TableDatasetStoreTests.ToListAsync(store.ListItemsAsync($"ds-{_twinId}", default)));
        Assert.Equal($"ds-{_twinId}-rejected", decision.RejectedInto);
        var rejected = Assert.Single(await TableDatasetStoreTests.ToListAsync(store.ListItemsAsync($"ds-{_twinId}-rejected", default)));
        Assert.Equal("low-" + Root, rejected.Id);
        Assert.Equal(relevance, (double?)rejected.Metadata["scores"]?["relevance"]);
    }

    [Fact]
    public async Task Rejected_turns_are_not_kept_when_KeepRejected_is_off()
    {
        var (collector, store) = await CreateAsync(o => o.KeepRejected = false);

        var decision = await collector.CollectAsync(Turn("low", "Which tool do you use?"), Scores(0.1, 0.9, 1.0), default);

        Assert.Null(decision.RejectedInto);
        Assert.False(await store.ExistsAsync($"ds-{_twinId}-rejected", default));
    }

    [Fact]
    public async Task The_knowledge_the_model_saw_is_kept_with_the_input()
    {
        var (collector, store) = await CreateAsync();

        var decision = await collector.CollectAsync(Turn("k", "Which tool do you use?") with { Knowledge = ["Ada uses Langfuse."] }, Scores(0.9, 0.9, 0.9), default);

        var item = Assert.Single(await TableDatasetStoreTests.ToListAsync(store.ListItemsAsync(decision.Dataset!, default)));
        Assert.Equal("Ada uses Langfuse.", (string?)item.Input["knowledge"]?[0]);
    }

    [Fact]
    public async Task A_failed_judge_keeps_the_turn_out()
    {
        var (collector, _) = await CreateAsync();
        var verdicts = Scores(0.9, 0.9, 0.9).Select(v => v.Name == ScoreNames.Groundedness ? v with { Score = null, Error = "invalid JSON twice" } : v).ToList();

        var decision = await collector.CollectAsync(Turn("err", "Which tool do you use?"), verdicts, default);

        Assert.False(decision.IsAdded);
        Assert.Equal("no groundedness score", decision.Reason);
        Assert.Null(decision.RejectedInto);
    }

    [Fact]
    public async Task A_near_duplicate_input_is_skipped_but_the_same_trace_again_updates_its_item()
    {
        var (collector, store) = await CreateAsync();
        await collector.CollectAsync(Turn("first", "Which tool do you like for tracing LLM apps?"), Scores(0.9, 0.9, 0.9), default);

        var duplicate = await collector.CollectAsync(Turn("second", "Which tools do you like for tracing LLM apps"), Scores(0.9, 0.9, 0.9), default);
        var redelivered = await collector.CollectAsync(Turn("first", "Which tool do you like for tracing LLM apps?"), Scores(0.9, 0.9, 0.9), default);
        var different = await collector.CollectAsync(Turn("third", "What bread do you bake at the weekend?"), Scores(0.9, 0.9, 0.9), default);

        Assert.False(duplicate.IsAdded);
        Assert.Equal($"near duplicate of item 'first-{Root}'", duplicate.Reason);
        Assert.True(redelivered.IsAdded, redelivered.Reason);
        Assert.True(different.IsAdded, different.Reason);
        var items = await TableDatasetStoreTests.ToListAsync(store.ListItemsAsync($"ds-{_twinId}", default));
        Assert.Equal(["first-" + Root, "third-" + Root], items.Select(i => i.Id).Order());
    }

    [Fact]
    public async Task Near_identical_turns_evaluated_at_once_by_two_instances_add_one_item()
    {
        // Each round is a fresh dataset and two collectors with their own index, as two function instances would be.
        for (var round = 0; round < 8; round++)
        {
            var twin = $"{_twinId}r{round}";
            var (first, store) = await CreateAsync();
            var (second, _) = await CreateAsync();

            var decisions = await Task.WhenAll(
                Task.Run(() => first.CollectAsync(Turn("left", "Which tool do you like for tracing LLM apps?") with { TwinId = twin }, Scores(0.9, 0.9, 0.9), default)),
                Task.Run(() => second.CollectAsync(Turn("right", "Which tools do you like for tracing LLM apps") with { TwinId = twin }, Scores(0.9, 0.9, 0.9), default)));

            Assert.Single(decisions, d => d.IsAdded);
            var skipped = Assert.Single(decisions, d => !d.IsAdded);
            Assert.StartsWith("near duplicate of item ", skipped.Reason, StringComparison.Ordinal);
            Assert.Single(await TableDatasetStoreTests.ToListAsync(store.ListItemsAsync($"ds-{twin}", default)));
        }
    }

    [Fact]
    public async Task A_deleted_item_stops_counting_once_its_claim_is_older_than_the_grace()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (collector, store) = await CreateAsync(time: time);
        var kept = await collector.CollectAsync(Turn("kept", "What bread do you bake at the weekend?"), Scores(0.9, 0.9, 0.9), default);
        var deleted = await collector.CollectAsync(Turn("deleted", "Which tool do you like for tracing LLM apps?"), Scores(0.9, 0.9, 0.9), default);
        var items = (await DatasetTables.CreateAsync()).GetTableClient(StorageNames.Tables.DatasetItems);
        await items.DeleteEntityAsync(Uri.EscapeDataString(deleted.Dataset!), deleted.ItemId);

        // Within the grace a claim may be an evaluation still writing its item, so it is trusted without a read.
        var tooSoon = await collector.CollectAsync(Turn("soon", "Which tools do you like for tracing LLM apps"), Scores(0.9, 0.9, 0.9), default);
        time.Advance(NearDuplicateIndex.ClaimGrace + TimeSpan.FromMinutes(1));
        var again = await collector.CollectAsync(Turn("again", "Which tools do you like for tracing LLM apps"), Scores(0.9, 0.9, 0.9), default);
        var stillDuplicate = await collector.CollectAsync(Turn("bread", "At the weekend, what breads do you bake?"), Scores(0.9, 0.9, 0.9), default);
        var afterTakeOver = await collector.CollectAsync(Turn("later", "Which tool do you like for tracing LLM apps"), Scores(0.9, 0.9, 0.9), default);

        Assert.True(kept.IsAdded && deleted.IsAdded);
        Assert.Equal($"near duplicate of item 'deleted-{Root}'", tooSoon.Reason);
        Assert.True(again.IsAdded, again.Reason);
        Assert.Equal($"near duplicate of item 'kept-{Root}'", stillDuplicate.Reason);
        Assert.Equal($"near duplicate of item 'again-{Root}'", afterTakeOver.Reason);
        Assert.Equal(["again-" + Root, "kept-" + Root], (await TableDatasetStoreTests.ToListAsync(store.ListItemsAsync($"ds-{_twinId}", default))).Select(i => i.Id).Order());
    }

    [Fact]
    public async Task Fingerprints_kept_before_the_buckets_still_keep_near_duplicates_out()
    {
        var (collector, store) = await CreateAsync();
        var tables = await DatasetTables.CreateAsync();
        var dataset = $"ds-{_twinId}";
        await store.EnsureDatasetAsync(dataset, "d", default);
        await store.UpsertItemAsync(new DatasetItem("old-1", dataset, new JsonObject { ["message"] = "Which tool do you like for tracing LLM apps?" }, [], [], "old"), default);
        // The row the index wrote before buckets: the sorted content words.
        await tables.GetTableClient(StorageNames.Tables.DatasetFingerprints).AddEntityAsync(new TableEntity(dataset, "old-1") { ["Words"] = "app like llm tool tracing" });

        var decision = await collector.CollectAsync(Turn("new", "Which tools do you like for tracing LLM apps"), Scores(0.9, 0.9, 0.9), default);

        Assert.Equal("near duplicate of item 'old-1'", decision.Reason);
    }

    [Fact]
    public async Task Two_chats_in_one_callers_trace_become_two_items()
    {
        var (collector, store) = await CreateAsync();

        await collector.CollectAsync(Turn("shared", "Which tool do you like for tracing LLM apps?"), Scores(0.9, 0.9, 0.9), default);
        await collector.CollectAsync(Turn("shared", "What bread do you bake at the weekend?", "10f067aa0ba902b7"), Scores(0.9, 0.9, 0.9), default);

        var items = await TableDatasetStoreTests.ToListAsync(store.ListItemsAsync($"ds-{_twinId}", default));
        Assert.Equal([Root, "10f067aa0ba902b7"], items.Select(i => i.SourceObservationId).Order());
        Assert.All(items, i => Assert.Equal("shared", i.SourceTraceId));
    }

    [Fact]
    public async Task A_turn_shortened_to_fit_the_queue_is_judged_but_not_kept_as_an_example()
    {
        var (collector, _) = await CreateAsync();

        var decision = await collector.CollectAsync(Turn("cut", "Which tool?") with { Shortened = true }, Scores(1, 1, 1), default);

        Assert.False(decision.IsAdded);
        Assert.Equal("the turn was shortened to fit a queue message", decision.Reason);
    }

    [Fact]
    public void Thresholds_must_name_a_judges_score_and_lie_between_0_and_1()
    {
        var validator = new DatasetOptionsValidator();

        Assert.True(validator.Validate(null, new DatasetOptions()).Succeeded);
        var bad = validator.Validate(null, new DatasetOptions { Thresholds = new() { ["Relevance"] = 0.5, ["groundedness"] = 1.5 } });

        Assert.True(bad.Failed);
        Assert.Contains(bad.Failures!, f => f.Contains("Datasets:Thresholds:Relevance names no score", StringComparison.Ordinal));
        Assert.Contains(bad.Failures!, f => f.Contains("Datasets:Thresholds:groundedness must be from 0 to 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Collection_can_be_turned_off()
    {
        var (collector, _) = await CreateAsync(o => o.Collect = false);

        var decision = await collector.CollectAsync(Turn("off", "Which tool?"), Scores(1, 1, 1), default);

        Assert.False(decision.IsAdded);
        Assert.Equal("collection is off", decision.Reason);
    }

    [Fact]
    public async Task With_the_dataset_collection_feature_off_a_passing_turn_adds_nothing()
    {
        var (collector, store) = await CreateAsync(features: TestFeatures.Off(FeatureFlags.DatasetCollection));

        var decision = await collector.CollectAsync(Turn("flag-off", "Which tool do you use for tracing?"), Scores(0.9, 0.8, 1.0), default);

        Assert.False(decision.IsAdded);
        Assert.Equal("the feature DatasetCollection is off", decision.Reason);
        Assert.Empty(await TableDatasetStoreTests.ToListAsync(store.ListItemsAsync($"ds-{_twinId}", default)));
    }

    private static async Task<(DatasetCollector Collector, TableDatasetStore Store)> CreateAsync(Action<DatasetOptions>? configure = null, TimeProvider? time = null, IFeatureManager? features = null)
    {
        var tables = await DatasetTables.CreateAsync();
        var options = new DatasetOptions { NameFormat = "ds-{twinId}" };
        configure?.Invoke(options);
        time ??= TimeProvider.System;
        var store = new TableDatasetStore(tables, time);
        return (new DatasetCollector(store, new NearDuplicateIndex(tables, store, time, NullLogger<NearDuplicateIndex>.Instance), Options.Create(options), features ?? TestFeatures.AllOn, NullLogger<DatasetCollector>.Instance), store);
    }

    private EvaluationRequest Turn(string traceId, string message, string observationId = Root) => new()
    {
        TraceId = traceId,
        ObservationId = observationId,
        TwinId = _twinId,
        Endpoint = "chat",
        Environment = "test",
        LedgerTimestamp = DateTimeOffset.UtcNow,
        Message = message,
        Reply = "A reply.",
        Model = "twin-offline",
        PromptName = "twin-system",
    };

    private static List<JudgeVerdict> Scores(double relevance, double groundedness, double persona) =>
    [
        new() { Name = ScoreNames.Relevance, Score = relevance, Method = JudgeMethods.Heuristic },
        new() { Name = ScoreNames.Groundedness, Score = groundedness, Method = JudgeMethods.Heuristic },
        new() { Name = ScoreNames.PersonaConsistency, Score = persona, Method = JudgeMethods.Heuristic },
    ];
}
