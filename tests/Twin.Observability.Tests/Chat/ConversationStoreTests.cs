using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Chat;
using Twin.Observability.Storage;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Chat;

[Collection(AzuriteCollection.Name)]
public sealed class ConversationStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private static async Task<(ConversationStore Store, TableClient Table)> StoreAsync(TimeProvider time)
    {
        var tables = new TableServiceClient(AzuriteFixture.NewAccountConnectionString());
        var table = tables.GetTableClient(StorageNames.Tables.Conversations);
        await table.CreateIfNotExistsAsync();
        return (new ConversationStore(tables, time), table);
    }

    private static ConversationTurn[] Exchange(string message, string reply) => [new("user", message, Now), new("assistant", reply, Now)];

    [Fact]
    public async Task Two_exchanges_in_the_same_tick_are_both_kept_in_order()
    {
        // A frozen clock: both appends see the same instant, as two turns of one conversation may on a fast path.
        var (store, _) = await StoreAsync(new FakeTimeProvider(Now));
        var caller = new ChatCaller(ChatChannel.User, "u-1");

        await store.AppendAsync("ada", caller, "c1", "trace-1", Exchange("first", "reply 1"), default);
        await store.AppendAsync("ada", caller, "c1", "trace-2", Exchange("second", "reply 2"), default);

        var turns = await store.LastTurnsAsync("ada", caller, "c1", 10, default);
        Assert.Equal(4, turns.Count);
        // Each exchange stays whole and in order: its question, then its answer.
        Assert.Equal(["user", "assistant", "user", "assistant"], turns.Select(t => t.Role));
        Assert.Contains(turns.Zip(turns.Skip(1)), p => p.First.Content == "first" && p.Second.Content == "reply 1");
        Assert.Contains(turns.Zip(turns.Skip(1)), p => p.First.Content == "second" && p.Second.Content == "reply 2");
    }

    [Theory]
    [InlineData("tenant/user")]
    [InlineData("back\\slash")]
    [InlineData("hash#tag")]
    [InlineData("what?")]
    [InlineData("control\u0001char")]
    public async Task A_user_id_with_characters_table_keys_refuse_keeps_its_history(string userId)
    {
        var (store, _) = await StoreAsync(TimeProvider.System);
        var caller = new ChatCaller(ChatChannel.User, userId);

        await store.AppendAsync("ada", caller, "c1", "trace-1", Exchange("hello", "hi"), default);

        Assert.Equal(["hello", "hi"], (await store.LastTurnsAsync("ada", caller, "c1", 10, default)).Select(t => t.Content));
    }

    [Fact]
    public async Task A_user_id_over_a_kilobyte_keeps_its_history_apart_from_one_that_shares_its_start()
    {
        var (store, _) = await StoreAsync(TimeProvider.System);
        var long1 = new ChatCaller(ChatChannel.User, new string('u', 2_000) + "1");
        var long2 = new ChatCaller(ChatChannel.User, new string('u', 2_000) + "2");

        await store.AppendAsync("ada", long1, "c1", "trace-1", Exchange("mine", "yours"), default);

        Assert.Equal(2, (await store.LastTurnsAsync("ada", long1, "c1", 10, default)).Count);
        Assert.Empty(await store.LastTurnsAsync("ada", long2, "c1", 10, default));
    }

    [Fact]
    public async Task The_partition_key_holds_no_user_id()
    {
        var (store, table) = await StoreAsync(TimeProvider.System);

        await store.AppendAsync("ada", new ChatCaller(ChatChannel.User, "alice@example.com"), "c1", "trace-1", Exchange("hello", "hi"), default);

        var row = Assert.Single(table.Query<TableEntity>().ToList().Where(e => e.GetString("Role") == "user"));
        Assert.DoesNotContain("alice", row.PartitionKey, StringComparison.Ordinal);
        Assert.StartsWith("ada|", row.PartitionKey, StringComparison.Ordinal);
    }
}
