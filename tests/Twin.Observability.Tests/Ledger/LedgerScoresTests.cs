using Microsoft.Extensions.Options;
using Twin.Observability.Ledger;
using Twin.Observability.Tests.Datasets;
using Xunit;

namespace Twin.Observability.Tests.Ledger;

[Collection(AzuriteCollection.Name)]
public sealed class LedgerScoresTests
{
    private const string Root = "00f067aa0ba902b7";

    [Fact]
    public async Task Scores_join_the_chats_row_without_touching_its_other_columns_and_recording_twice_changes_nothing()
    {
        var ledger = new LedgerStore(await DatasetTables.CreateAsync(), Options.Create(new LedgerOptions()));
        var at = DateTimeOffset.UtcNow;
        var traceId = Guid.NewGuid().ToString("N");
        await ledger.WriteAsync(new LedgerEntry { TraceId = traceId, ObservationId = Root, TwinId = "demo", Endpoint = "chat", Environment = "test", Timestamp = at, Status = "ok", Model = "twin-offline", InputTokens = 12, PromptName = "twin-system" }, default);
        var scores = new Dictionary<string, double> { ["relevance"] = 0.75, ["persona_consistency"] = 1.0 };
        var errors = new Dictionary<string, string> { ["groundedness"] = "invalid JSON twice" };

        await ledger.RecordScoresAsync(traceId, Root, at, scores, "llm", errors, default);
        await ledger.RecordScoresAsync(traceId, Root, at, scores, "llm", errors, default);

        var row = await ledger.FindAsync(traceId, at, default);
        Assert.NotNull(row);
        Assert.Equal(scores, row.Scores);
        Assert.Equal("llm", row.ScoreMethod);
        Assert.Equal("groundedness: invalid JSON twice", row.JudgeErrors);
        Assert.Equal("twin-offline", row.Model);
        Assert.Equal(12, row.InputTokens);
        Assert.Equal("twin-system", row.PromptName);
    }

    [Fact]
    public async Task A_re_evaluation_replaces_the_earlier_scores_and_a_missing_row_is_not_created()
    {
        var ledger = new LedgerStore(await DatasetTables.CreateAsync(), Options.Create(new LedgerOptions()));
        var at = DateTimeOffset.UtcNow;
        var traceId = Guid.NewGuid().ToString("N");
        await ledger.WriteAsync(new LedgerEntry { TraceId = traceId, ObservationId = Root, TwinId = "demo", Endpoint = "chat", Environment = "test", Timestamp = at, Status = "ok" }, default);
        await ledger.RecordScoresAsync(traceId, Root, at, new Dictionary<string, double> { ["relevance"] = 0.9, ["groundedness"] = 0.8 }, "llm", new Dictionary<string, string>(), default);

        await ledger.RecordScoresAsync(traceId, Root, at, new Dictionary<string, double> { ["relevance"] = 0.7 }, "llm", new Dictionary<string, string> { ["groundedness"] = "refused" }, default);
        var missing = Guid.NewGuid().ToString("N");
        var recordedMissing = await ledger.RecordScoresAsync(missing, Root, at, new Dictionary<string, double> { ["relevance"] = 1 }, "llm", new Dictionary<string, string>(), default);

        var row = await ledger.FindAsync(traceId, at, default);
        Assert.Equal(new Dictionary<string, double> { ["relevance"] = 0.7 }, row!.Scores);
        Assert.Equal("groundedness: refused", row.JudgeErrors);
        Assert.False(recordedMissing);
        Assert.Null(await ledger.FindAsync(missing, at, default));
    }

    [Fact]
    public async Task Violations_and_the_dataset_join_the_row_and_a_re_evaluation_without_them_clears_them()
    {
        var ledger = new LedgerStore(await DatasetTables.CreateAsync(), Options.Create(new LedgerOptions()));
        var at = DateTimeOffset.UtcNow;
        var traceId = Guid.NewGuid().ToString("N");
        await ledger.WriteAsync(new LedgerEntry { TraceId = traceId, ObservationId = Root, TwinId = "demo", Endpoint = "chat", Environment = "test", Timestamp = at, Status = "ok" }, default);
        var scores = new Dictionary<string, double> { ["persona_consistency"] = 0.4 };

        await ledger.RecordScoresAsync(traceId, Root, at, scores, "heuristic", new Dictionary<string, string>(), ["first_person", "no_ai_disclosure"], "twin-demo", default);
        var judged = await ledger.FindAsync(traceId, at, default);
        await ledger.RecordScoresAsync(traceId, Root, at, scores, "heuristic", new Dictionary<string, string>(), default);
        var again = await ledger.FindAsync(traceId, at, default);

        Assert.Equal(["first_person", "no_ai_disclosure"], judged!.Violations);
        Assert.Equal("twin-demo", judged.Dataset);
        Assert.Empty(again!.Violations);
        Assert.Null(again.Dataset);
    }

    [Fact]
    public async Task Two_chats_in_one_callers_trace_keep_two_rows_and_their_own_scores()
    {
        var ledger = new LedgerStore(await DatasetTables.CreateAsync(), Options.Create(new LedgerOptions()));
        var at = DateTimeOffset.UtcNow;
        var traceId = Guid.NewGuid().ToString("N");
        const string other = "10f067aa0ba902b7";
        foreach (var observation in new[] { Root, other })
        {
            await ledger.WriteAsync(new LedgerEntry { TraceId = traceId, ObservationId = observation, TwinId = "demo", Endpoint = "chat", Environment = "test", Timestamp = at, Status = "ok" }, default);
        }

        await ledger.RecordScoresAsync(traceId, Root, at, new Dictionary<string, double> { ["relevance"] = 0.2 }, "llm", new Dictionary<string, string>(), default);
        await ledger.RecordScoresAsync(traceId, other, at, new Dictionary<string, double> { ["relevance"] = 0.9 }, "llm", new Dictionary<string, string>(), default);

        var rows = await ledger.RowsOfTraceAsync(traceId, at, default);
        Assert.Equal(
            new[] { (Root, 0.2), (other, 0.9) }.Order(),
            rows.Select(r => (r.ObservationId, r.Scores["relevance"])).Order());
    }
}
