using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Twin.Observability.Ledger;
using Twin.Observability.Tests.Datasets;
using Xunit;

namespace Twin.Observability.Tests.Ledger;

[Collection(AzuriteCollection.Name)]
public sealed class LedgerShardingTests
{
    private const string Root = "00f067aa0ba902b7";

    [Fact]
    public async Task An_hours_rows_spread_over_its_shards_and_a_time_range_reads_them_all_and_nothing_else()
    {
        var tables = await DatasetTables.CreateAsync();
        var ledger = new LedgerStore(tables, Options.Create(new LedgerOptions { Shards = 8 }));
        var hour = new DateTimeOffset(2026, 11, 3, 14, 0, 0, TimeSpan.Zero);
        var inside = Enumerable.Range(0, 40).Select(i => (TraceId: Guid.NewGuid().ToString("N"), At: hour.AddSeconds(i * 30))).ToList();
        foreach (var (traceId, at) in inside.Append((Guid.NewGuid().ToString("N"), hour.AddMinutes(20))).Append((Guid.NewGuid().ToString("N"), hour.AddHours(-1).AddMinutes(59))))
        {
            await ledger.WriteAsync(new LedgerEntry { TraceId = traceId, ObservationId = Root, TwinId = "demo", Endpoint = "chat", Environment = "test", Timestamp = at, Status = "ok" }, default);
        }

        var read = new List<TableEntity>();
        await foreach (var row in ledger.RowsBetweenAsync(hour, hour.AddMinutes(20), null, default))
        {
            read.Add(row);
        }

        Assert.Equal(inside.Where(r => r.At < hour.AddMinutes(20)).Select(r => r.TraceId).Order(), read.Select(r => r.GetString("TraceId")).Order());
        Assert.All(read, r => Assert.Matches(@"^2026110314-0[0-7]$", r.PartitionKey));
        Assert.True(read.Select(r => r.PartitionKey).Distinct().Count() >= 4, "40 trace ids should land in most of the 8 shards");
    }

    [Fact]
    public async Task Scores_find_a_row_written_under_another_shard_count()
    {
        var tables = await DatasetTables.CreateAsync();
        var at = DateTimeOffset.UtcNow;
        var traceIds = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        // Some of these trace ids have another shard under 3 than under 8.
        Assert.Contains(traceIds, t => LedgerKeys.ShardOf(t, 8) != LedgerKeys.ShardOf(t, 3));
        var before = new LedgerStore(tables, Options.Create(new LedgerOptions { Shards = 8 }));
        var after = new LedgerStore(tables, Options.Create(new LedgerOptions { Shards = 3 }));
        foreach (var traceId in traceIds)
        {
            await before.WriteAsync(new LedgerEntry { TraceId = traceId, ObservationId = Root, TwinId = "demo", Endpoint = "chat", Environment = "test", Timestamp = at, Status = "ok" }, default);
        }

        foreach (var traceId in traceIds)
        {
            Assert.True(await after.RecordScoresAsync(traceId, Root, at, new Dictionary<string, double> { ["relevance"] = 0.5 }, "heuristic", new Dictionary<string, string>(), default), traceId);
        }
    }

    [Fact]
    public async Task The_row_keeps_the_start_of_message_and_reply_node_timings_and_the_experiment()
    {
        var tables = await DatasetTables.CreateAsync();
        var at = DateTimeOffset.UtcNow;
        var traceId = Guid.NewGuid().ToString("N");
        var kept = new LedgerStore(tables, Options.Create(new LedgerOptions { TextChars = 5 }));
        await kept.WriteAsync(new LedgerEntry
        {
            TraceId = traceId, ObservationId = Root, TwinId = "demo", Endpoint = "chat", Environment = "test", Timestamp = at, Status = "ok",
            Message = "hello there", Reply = "hi", NodeTimings = "{\"generate\":12}", Experiment = "exp-1", Variant = "b",
        }, default);
        var otherTrace = Guid.NewGuid().ToString("N");
        var none = new LedgerStore(tables, Options.Create(new LedgerOptions { TextChars = 0 }));
        await none.WriteAsync(new LedgerEntry { TraceId = otherTrace, ObservationId = Root, TwinId = "demo", Endpoint = "chat", Environment = "test", Timestamp = at, Status = "ok", Message = "hello", Reply = "hi" }, default);

        var row = (await kept.FindAsync(traceId, at, default))!;
        var bare = (await kept.FindAsync(otherTrace, at, default))!;

        Assert.Equal(("hello", "hi"), (row.Message, row.Reply));
        Assert.Equal("{\"generate\":12}", row.NodeTimings);
        Assert.Equal(("exp-1", "b"), (row.Experiment, row.Variant));
        Assert.Equal((null, null), (bare.Message, bare.Reply));
    }
}
