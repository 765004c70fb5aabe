using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Chat;
using Twin.Observability.Chat.FewShot;
using Twin.Observability.Prompts;
using Twin.Observability.Twins;
using Xunit;

namespace Twin.Observability.Tests.FewShot;

public sealed class DatasetFewShotSelectorTests
{
    private const string Twin = "ada";

    private static CountingDatasetStore RouterStore() => new CountingDatasetStore().WithBackground()
        .Add("reset-1", "How do I reset my router password?", "Hold the reset button for ten seconds.")
        .Add("reset-2", "How can I reset the router password?", "Press and hold reset for ten seconds.")
        .Add("wifi", "My router wifi signal keeps dropping at night", "Move the router away from the microwave.");

    [Fact]
    public async Task Maximal_marginal_relevance_prefers_a_diverse_example_over_a_near_duplicate()
    {
        var selector = FewShotTesting.Selector(RouterStore(), new FewShotOptions { MaxExamples = 2 });

        var selection = await selector.SelectAsync(Twin, "reset router password, wifi dropping", "c", CancellationToken.None);

        Assert.Equal(["reset-1", "wifi"], selection.Examples.Select(e => e.ItemId));
    }

    [Fact]
    public async Task Relevance_alone_would_take_the_near_duplicate()
    {
        // The control of the test above: with λ = 1 the two reset items win, so diversity is what chose "wifi".
        var selector = FewShotTesting.Selector(RouterStore(), new FewShotOptions { MaxExamples = 2, Lambda = 1 });

        var selection = await selector.SelectAsync(Twin, "reset router password, wifi dropping", "c", CancellationToken.None);

        Assert.Equal(["reset-1", "reset-2"], selection.Examples.Select(e => e.ItemId).Order());
    }

    [Fact]
    public async Task The_most_similar_example_comes_first_and_selection_reports_the_query_and_items()
    {
        var selector = FewShotTesting.Selector(RouterStore());

        var selection = await selector.SelectAsync(Twin, "my wifi keeps dropping at night", "c", CancellationToken.None);

        Assert.Equal("my wifi keeps dropping at night", selection.Query);
        var first = selection.Examples[0];
        Assert.Equal(("wifi", "trace-wifi"), (first.ItemId, first.SourceTraceId));
        Assert.All(selection.Examples, e => Assert.True(e.Similarity <= first.Similarity));
        Assert.InRange(first.Similarity, 0.5, 1);
        Assert.Equal(ChatRole.User, selection.Messages[0].Role);
        Assert.Equal("My router wifi signal keeps dropping at night", selection.Messages[0].Text);
        Assert.Equal(ChatRole.Assistant, selection.Messages[1].Role);
        Assert.Equal("Move the router away from the microwave.", selection.Messages[1].Text);
        Assert.Equal(selection.Examples.Count * 2, selection.Messages.Count);
    }

    [Fact]
    public async Task An_example_that_would_exceed_the_token_budget_is_skipped_for_a_smaller_one()
    {
        var store = new CountingDatasetStore().WithBackground()
            .Add("long", "How do I reset my router password?", new string('x', 800))
            .Add("short", "Router password reset steps?", "Hold reset.");
        var selector = FewShotTesting.Selector(store, new FewShotOptions { TokenBudget = 100 });

        var selection = await selector.SelectAsync(Twin, "How do I reset my router password please", "c", CancellationToken.None);

        Assert.Equal(["short"], selection.Examples.Select(e => e.ItemId));
        Assert.True(selection.Messages.Sum(m => m.Text.Length) / 4 <= 100);
    }

    [Fact]
    public async Task The_budget_holds_across_examples()
    {
        var store = new CountingDatasetStore().WithBackground();
        for (var i = 0; i < 6; i++)
        {
            store.Add($"r{i}", $"Router password reset question number {i}", new string('y', 200));
        }

        var selector = FewShotTesting.Selector(store, new FewShotOptions { MaxExamples = 10, TokenBudget = 130 });

        var selection = await selector.SelectAsync(Twin, "router password reset", "c", CancellationToken.None);

        // Each pair is about 60 tokens: two fit in 130, a third would not.
        Assert.Equal(2, selection.Examples.Count);
    }

    [Fact]
    public async Task No_more_than_MaxExamples_and_a_twin_override_lowers_it()
    {
        var store = new CountingDatasetStore().WithBackground();
        for (var i = 0; i < 6; i++)
        {
            store.Add($"r{i}", $"Router password reset, case {i} of {(char)('a' + i)}", "Hold reset.");
        }

        var options = new FewShotOptions { MaxExamples = 4 };
        Assert.Equal(4, (await FewShotTesting.Selector(store, options).SelectAsync(Twin, "router password reset", "c", CancellationToken.None)).Examples.Count);

        options.Twins[Twin] = new FewShotTwinOptions { MaxExamples = 1 };
        var selection = await FewShotTesting.Selector(store, options).SelectAsync(Twin, "router password reset", "c", CancellationToken.None);
        Assert.Single(selection.Examples);
        Assert.Equal(2, selection.Messages.Count);
    }

    [Fact]
    public async Task A_twin_switched_off_gets_nothing_and_its_dataset_is_not_read()
    {
        var store = RouterStore();
        var options = new FewShotOptions();
        options.Twins[Twin] = new FewShotTwinOptions { Enabled = false };
        var selector = FewShotTesting.Selector(store, options);

        var off = await selector.SelectAsync(Twin, "reset router password", "c", CancellationToken.None);
        var other = await selector.SelectAsync("bob", "reset router password", "c", CancellationToken.None);

        Assert.Empty(off.Messages);
        Assert.Empty(off.Examples);
        Assert.NotEmpty(other.Examples);
        Assert.Equal(["twin-bob"], store.ListedNames);
    }

    [Fact]
    public async Task Few_shot_switched_off_globally_selects_nothing()
    {
        var selector = FewShotTesting.Selector(RouterStore(), new FewShotOptions { Enabled = false });

        Assert.Empty((await selector.SelectAsync(Twin, "reset router password", "c", CancellationToken.None)).Examples);
    }

    [Fact]
    public async Task The_identical_message_is_never_its_own_example()
    {
        var selector = FewShotTesting.Selector(RouterStore());

        var selection = await selector.SelectAsync(Twin, "  how do I RESET my router password? ", "c", CancellationToken.None);

        Assert.DoesNotContain("reset-1", selection.Examples.Select(e => e.ItemId));
        Assert.Contains("reset-2", selection.Examples.Select(e => e.ItemId));
    }

    [Fact]
    public async Task An_item_of_the_same_conversation_is_excluded_when_the_item_names_its_conversation()
    {
        var store = new CountingDatasetStore().WithBackground()
            .Add("same", "How do I reset my router password?", "Hold reset.", conversationId: "conv-1");
        var selector = FewShotTesting.Selector(store);

        var same = await selector.SelectAsync(Twin, "reset router password", "conv-1", CancellationToken.None);
        var other = await selector.SelectAsync(Twin, "reset router password", "conv-2", CancellationToken.None);

        Assert.Empty(same.Examples);
        Assert.Equal(["same"], other.Examples.Select(e => e.ItemId));
    }

    [Fact]
    public async Task Nothing_below_MinSimilarity()
    {
        var store = RouterStore();

        var unrelated = await FewShotTesting.Selector(store).SelectAsync(Twin, "Which planets have rings?", "c", CancellationToken.None);
        var strict = await FewShotTesting.Selector(store, new FewShotOptions { MinSimilarity = 0.95 }).SelectAsync(Twin, "router firmware update schedule", "c", CancellationToken.None);
        var lenient = await FewShotTesting.Selector(store, new FewShotOptions { MinSimilarity = 0.01 }).SelectAsync(Twin, "router firmware update schedule", "c", CancellationToken.None);

        Assert.Empty(unrelated.Examples);
        Assert.Empty(strict.Examples);
        Assert.NotEmpty(lenient.Examples);
        Assert.All(lenient.Examples, e => Assert.True(e.Similarity < 0.95));
    }

    [Fact]
    public async Task The_index_is_built_once_and_refreshed_in_the_background_after_RefreshSeconds()
    {
        var store = RouterStore();
        var time = new FakeTimeProvider();
        var selector = FewShotTesting.Selector(store, new FewShotOptions { RefreshSeconds = 300 }, time);

        for (var i = 0; i < 5; i++)
        {
            await selector.SelectAsync(Twin, "router password", "c", CancellationToken.None);
        }

        Assert.Equal(1, store.Listings);
        time.Advance(TimeSpan.FromSeconds(299));
        await selector.SelectAsync(Twin, "router password", "c", CancellationToken.None);
        Assert.Equal(1, store.Listings);

        store.Add("kettle", "Why does my kettle whistle?", "It boils.");
        time.Advance(TimeSpan.FromSeconds(2));
        // The chat that finds the index stale still uses it; the rebuild runs beside it.
        var stale = await selector.SelectAsync(Twin, "kettle whistle", "c", CancellationToken.None);
        Assert.Empty(stale.Examples);
        await selector.RefreshOf(Twin).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, store.Listings);

        var fresh = await selector.SelectAsync(Twin, "kettle whistle", "c", CancellationToken.None);
        Assert.Equal(["kettle"], fresh.Examples.Select(e => e.ItemId));
        Assert.Equal(2, store.Listings);
    }

    [Fact]
    public async Task Concurrent_first_chats_of_a_twin_share_one_build()
    {
        var store = RouterStore();
        var selector = FewShotTesting.Selector(store);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => selector.SelectAsync(Twin, "router password", "c", CancellationToken.None))));

        Assert.Equal(1, store.Listings);
    }

    [Fact]
    public async Task A_failing_store_selects_nothing_logs_a_warning_and_does_not_throw()
    {
        var store = RouterStore();
        store.Fail = true;
        var logs = new LogRecorder();
        var time = new FakeTimeProvider();
        var selector = FewShotTesting.Selector(store, time: time, logger: logs.For<DatasetFewShotSelector>());

        var selection = await selector.SelectAsync(Twin, "reset router password", "c", CancellationToken.None);

        Assert.Empty(selection.Examples);
        Assert.Empty(selection.Messages);
        Assert.Equal(1, logs.Count(LogLevel.Warning));

        // The store recovers: the next refresh finds the examples.
        store.Fail = false;
        time.Advance(TimeSpan.FromSeconds(301));
        await selector.SelectAsync(Twin, "reset router password", "c", CancellationToken.None);
        await selector.RefreshOf(Twin).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEmpty((await selector.SelectAsync(Twin, "reset router password", "c", CancellationToken.None)).Examples);
    }

    [Fact]
    public async Task With_an_embedding_generator_similarity_is_by_meaning_and_items_are_embedded_once()
    {
        var store = new CountingDatasetStore()
            .Add("cat", "My feline friend will not purr", "Give her time.")
            .Add("car", "The engine of my vehicle stalls", "Check the spark plugs.")
            .Add("cake", "The flour in my oven bake went flat", "Use fresh baking powder.");
        var generator = new TopicEmbeddingGenerator();
        var selector = FewShotTesting.Selector(store, new FewShotOptions { MaxExamples = 1 }, embeddings: generator);

        // No word of the message is in the item: only the embedding relates "kitten" to "feline".
        var selection = await selector.SelectAsync(Twin, "Is a kitten normal?", "c", CancellationToken.None);
        await selector.SelectAsync(Twin, "drive to work", "c", CancellationToken.None);

        Assert.Equal(["cat"], selection.Examples.Select(e => e.ItemId));
        Assert.Equal(1, selection.Examples[0].Similarity, 3);
        Assert.Equal(3 + 2, generator.Texts);
        Assert.Empty((await FewShotTesting.Selector(store).SelectAsync(Twin, "Is a kitten normal?", "c", CancellationToken.None)).Examples);
    }

    [Fact]
    public async Task The_prompt_puts_the_examples_as_user_assistant_pairs_before_the_history_and_message()
    {
        var selection = await FewShotTesting.Selector(RouterStore()).SelectAsync(Twin, "my wifi keeps dropping at night", "c", CancellationToken.None);
        var twin = new TwinProfile(Twin, "Ada", "I am Ada.", [], null, null, [], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "e");

        var built = PromptBuilder.Build(BuiltInPrompts.Find(BuiltInPrompts.SystemPromptName)!, twin, [], selection.Messages, [new ConversationTurn("user", "earlier", DateTimeOffset.UtcNow)], "my wifi keeps dropping at night");

        Assert.NotEmpty(selection.Examples);
        var roles = built.Messages.Select(m => m.Role).ToList();
        Assert.Equal(ChatRole.System, roles[0]);
        for (var i = 0; i < selection.Examples.Count; i++)
        {
            Assert.Equal((ChatRole.User, ChatRole.Assistant), (roles[1 + (2 * i)], roles[2 + (2 * i)]));
        }

        Assert.Equal("My router wifi signal keeps dropping at night", built.Messages[1].Text);
        Assert.Equal("earlier", built.Messages[^2].Text);
        Assert.Equal((ChatRole.User, "my wifi keeps dropping at night"), (built.Messages[^1].Role, built.Messages[^1].Text));
    }

    [Fact]
    public async Task NoFewShotSelector_returns_an_empty_selection_with_the_query()
    {
        var selection = await new NoFewShotSelector().SelectAsync(Twin, "hi", "c", CancellationToken.None);

        Assert.Equal(("hi", 0, 0), (selection.Query, selection.Messages.Count, selection.Examples.Count));
    }
}
