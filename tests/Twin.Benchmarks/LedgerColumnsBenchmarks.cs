using System.Diagnostics;
using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using Twin.Observability.Chat;
using Twin.Observability.Ledger;

namespace Twin.Benchmarks;

/// <summary>
/// What the ledger columns added in issue 9 cost a chat in CPU and allocation: recording the 7 nodes' timings and
/// writing them as JSON (<see cref="NodeTimings"/>), and building the ledger entity
/// (<see cref="LedgerStore.EntityOf"/>) with Message, Reply, NodeTimings, Experiment and Variant against the same row
/// without them. The message is 120 characters, the reply 1,400 (so it is cut to <c>Ledger:TextChars</c>, 1,000,
/// as a long reply would be). The Table write itself is I/O and not measured.
/// </summary>
[MemoryDiagnoser]
public class LedgerColumnsBenchmarks
{
    private static readonly string[] Nodes = ["load-history", "retrieve-knowledge", "select-few-shot", "build-prompt", "generate", "post-process", "save-history"];

    private readonly LedgerStore _ledger = new(new TableServiceClient("UseDevelopmentStorage=true"), Options.Create(new LedgerOptions()));
    private long[] _starts = null!;
    private LedgerEntry _without = null!;
    private LedgerEntry _with = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Starts in the past, so the recorded milliseconds have the digits real ones have (3 ms to a few seconds).
        var now = Stopwatch.GetTimestamp();
        _starts = new long[] { 3, 12, 2, 1, 812, 4, 9 }.Select(ms => now - (ms * Stopwatch.Frequency / 1000)).ToArray();
        _without = new LedgerEntry
        {
            TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
            ObservationId = "00f067aa0ba902b7",
            TwinId = "ada-lovelace",
            Endpoint = "chat",
            Environment = "production",
            Timestamp = new DateTimeOffset(2026, 12, 4, 10, 15, 30, 123, TimeSpan.Zero),
            LatencyMs = 843,
            UserId = "user-17",
            ConversationId = "c0ffee00c0ffee00",
            Model = "gpt-4o-mini",
            InputTokens = 1800,
            OutputTokens = 240,
            CostUsd = 0.000414m,
            Status = "ok",
            HttpStatus = 200,
            PromptName = "twin-system",
            PromptVersion = 4,
        };
        _with = _without with
        {
            Experiment = "reply-style",
            Variant = "concise",
            NodeTimings = Timings().ToJson(),
            Message = new string('m', 120),
            Reply = new string('r', 1400),
        };
    }

    [Benchmark(Description = "NodeTimings: record 7 nodes + ToJson")]
    public string NodeTimingsRecordAndJson() => Timings().ToJson();

    [Benchmark(Baseline = true, Description = "EntityOf without the new columns")]
    public TableEntity EntityWithout() => _ledger.EntityOf(_without);

    [Benchmark(Description = "EntityOf with Message, Reply, NodeTimings, Experiment, Variant")]
    public TableEntity EntityWith() => _ledger.EntityOf(_with);

    private NodeTimings Timings()
    {
        var timings = new NodeTimings();
        for (var i = 0; i < Nodes.Length; i++)
        {
            timings.Record(Nodes[i], _starts[i]);
        }

        return timings;
    }
}
