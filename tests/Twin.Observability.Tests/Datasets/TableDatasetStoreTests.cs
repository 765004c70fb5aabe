using System.Text.Json.Nodes;
using Twin.Observability.Datasets;
using Xunit;

namespace Twin.Observability.Tests.Datasets;

[Collection(AzuriteCollection.Name)]
public sealed class TableDatasetStoreTests
{
    [Fact]
    public async Task Items_are_upserted_by_id_and_listed_with_their_content()
    {
        var store = new TableDatasetStore(await DatasetTables.CreateAsync(), TimeProvider.System);
        var name = DatasetTables.UniqueName();
        await store.EnsureDatasetAsync(name, "first description", default);
        await store.EnsureDatasetAsync(name, "second description", default);

        await store.UpsertItemAsync(Item(name, "a", "What do you bake?", "Sourdough."), default);
        await store.UpsertItemAsync(Item(name, "b", "Which tool?", "Langfuse."), default);
        await store.UpsertItemAsync(Item(name, "a", "What do you bake?", "Sourdough, every weekend."), default);

        var items = await ToListAsync(store.ListItemsAsync(name, default));
        Assert.Equal(["a", "b"], items.Select(i => i.Id).Order());
        var a = items.Single(i => i.Id == "a");
        Assert.Equal("What do you bake?", (string?)a.Input["message"]);
        Assert.Equal("Sourdough, every weekend.", (string?)a.ExpectedOutput["reply"]);
        Assert.Equal("trace-a", a.SourceTraceId);
        Assert.Equal(0.9, (double?)a.Metadata["scores"]?["relevance"]);
    }

    [Fact]
    public async Task Concurrent_evaluations_ensuring_one_dataset_all_succeed_even_across_store_instances()
    {
        var tables = await DatasetTables.CreateAsync();
        var first = new TableDatasetStore(tables, TimeProvider.System);
        var second = new TableDatasetStore(tables, TimeProvider.System);
        var name = DatasetTables.UniqueName();

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? first : second).EnsureDatasetAsync(name, "d", default)));

        var row = await tables.GetTableClient(Twin.Observability.Storage.StorageNames.Tables.Datasets).GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("dataset", Uri.EscapeDataString(name));
        Assert.True(row.HasValue);
        Assert.Equal(name, row.Value!.GetString("Name"));
    }

    [Fact]
    public async Task Datasets_do_not_see_each_others_items()
    {
        var store = new TableDatasetStore(await DatasetTables.CreateAsync(), TimeProvider.System);
        var first = DatasetTables.UniqueName();
        var second = DatasetTables.UniqueName();
        await store.UpsertItemAsync(Item(first, "x", "one", "1"), default);

        Assert.Empty(await ToListAsync(store.ListItemsAsync(second, default)));
        Assert.Single(await ToListAsync(store.ListItemsAsync(first, default)));
    }

    [Fact]
    public async Task Many_items_are_upserted_in_transactions_and_counted()
    {
        var store = new TableDatasetStore(await DatasetTables.CreateAsync(), TimeProvider.System);
        var name = DatasetTables.UniqueName();
        await store.EnsureDatasetAsync(name, "bulk", default);

        await store.UpsertItemsAsync(Enumerable.Range(0, 250).Select(i => Item(name, $"i{i:D3}", $"Question {i}?", $"Answer {i}.")), default);
        await store.UpsertItemsAsync([Item(name, "i007", "Question 7, again?", "Answer 7, again.")], default);

        Assert.Equal(250, await store.CountItemsAsync(name, default));
        var items = await ToListAsync(store.ListItemsAsync(name, default));
        Assert.Equal("Question 7, again?", (string?)items.Single(i => i.Id == "i007").Input["message"]);
        Assert.Equal("Answer 249.", (string?)items.Single(i => i.Id == "i249").ExpectedOutput["reply"]);
    }

    [Fact]
    public async Task A_large_reply_survives_the_table_property_limit()
    {
        var store = new TableDatasetStore(await DatasetTables.CreateAsync(), TimeProvider.System);
        var name = DatasetTables.UniqueName();
        var reply = new string('é', 40_000);

        await store.UpsertItemAsync(Item(name, "big", "long?", reply), default);

        var item = Assert.Single(await ToListAsync(store.ListItemsAsync(name, default)));
        Assert.Equal(reply, (string?)item.ExpectedOutput["reply"]);
    }

    private static DatasetItem Item(string dataset, string id, string message, string reply) => new(
        id,
        dataset,
        new JsonObject { ["message"] = message },
        new JsonObject { ["reply"] = reply },
        new JsonObject { ["scores"] = new JsonObject { ["relevance"] = 0.9 } },
        "trace-" + id);

    internal static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
