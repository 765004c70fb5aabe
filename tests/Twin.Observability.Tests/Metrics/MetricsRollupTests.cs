using Twin.Observability.Metrics;
using Xunit;

namespace Twin.Observability.Tests.Metrics;

[Collection(AzuriteCollection.Name)]
public sealed class MetricsRollupTests
{
    private static readonly DateTimeOffset Start = MetricsTestbed.Start;

    [Fact]
    public async Task Rolling_up_the_same_ledger_twice_gives_identical_rows_for_minutes_hours_and_days()
    {
        var bed = await MetricsTestbed.CreateAsync();
        await WriteMixedTrafficAsync(bed);
        bed.Clock.SetUtcNow(Start.AddDays(1).AddHours(1));

        var first = await bed.Rollup.RunAsync(default);
        var rowsFirst = await bed.RollupRowsAsync();
        await bed.Tables.GetTableClient("Settings").DeleteEntityAsync("metrics", "rollup-watermark");
        var second = await bed.Rollup.RunAsync(default);
        var rowsSecond = await bed.RollupRowsAsync();

        Assert.Equal(60, first!.LedgerRows);
        Assert.Equal(first.LedgerRows, second!.LedgerRows);
        Assert.Equal(rowsFirst.Order(StringComparer.Ordinal), rowsSecond.Order(StringComparer.Ordinal));
        Assert.Contains(rowsFirst, r => r.Contains("PartitionKey=d-a-20261102", StringComparison.Ordinal));
        Assert.Contains(rowsFirst, r => r.Contains("PartitionKey=h-t-2026110201", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hours_merged_in_memory_during_a_catch_up_equal_hours_merged_from_stored_minutes()
    {
        // One batch per hour merges each hour from the minutes in memory; one batch per minute reads them back.
        var inMemory = await MetricsTestbed.CreateAsync(new MetricsOptions { BatchMinutes = 60 });
        var readBack = await MetricsTestbed.CreateAsync(new MetricsOptions { BatchMinutes = 1 });
        foreach (var bed in new[] { inMemory, readBack })
        {
            await WriteMixedTrafficAsync(bed, fixedTraceIds: true);
            bed.Clock.SetUtcNow(Start.AddHours(4));
            Assert.Equal(60, (await bed.Rollup.RunAsync(default))!.LedgerRows);
        }

        var rows = await inMemory.RollupRowsAsync();
        Assert.Equal(3, rows.Count(r => r.Contains("PartitionKey=h-a-", StringComparison.Ordinal)));
        Assert.Equal(rows.Order(StringComparer.Ordinal), (await readBack.RollupRowsAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Answers_from_rollups_equal_answers_from_the_raw_ledger_in_every_bucket()
    {
        var bed = await MetricsTestbed.CreateAsync();
        await WriteMixedTrafficAsync(bed);
        bed.Clock.SetUtcNow(Start.AddDays(1).AddHours(1));
        var range = new MetricsRange(Start.AddMinutes(-7), Start.AddHours(3).AddMinutes(13), null, RollupGranularity.Hour);

        var raw = await bed.Query.QueryAsync(range, default);
        await bed.Rollup.RunAsync(default);
        var rolled = await bed.Query.QueryAsync(range, default);

        Assert.Equal(60, raw.Source.LedgerRows);
        Assert.Equal(0, rolled.Source.LedgerRows);
        Assert.True(rolled.Source.RollupRows > 0);
        Assert.Equal(raw.Buckets.Select(Summary), rolled.Buckets.Select(Summary));
        Assert.True(rolled.Total.Violations["first_person"] > 0 && rolled.Total.DatasetAdds["twin-demo"] > 0, Summary(new MetricsBucket(Start, rolled.Total)));
        Assert.Equal(Summary(new MetricsBucket(Start, raw.Total)), Summary(new MetricsBucket(Start, rolled.Total)));
    }

    [Fact]
    public async Task A_chat_written_after_the_watermark_counts_at_once()
    {
        var bed = await MetricsTestbed.CreateAsync();
        await bed.WriteAsync(Start.AddMinutes(1));
        bed.Clock.SetUtcNow(Start.AddMinutes(10));
        var run = await bed.Rollup.RunAsync(default);
        await bed.WriteAsync(Start.AddMinutes(9));

        var slice = await bed.Query.QueryAsync(new MetricsRange(Start, Start.AddMinutes(10), null, RollupGranularity.Minute), default);

        Assert.Equal(Start.AddMinutes(8), run!.RolledUpTo);
        Assert.Equal(2, slice.Total.Count);
        Assert.Equal((1L, 1L), (slice.Source.RollupRows, slice.Source.LedgerRows));
        Assert.Equal(1, slice.Buckets.Single(b => b.Start == Start.AddMinutes(9)).Aggregate.Count);
    }

    [Fact]
    public async Task A_late_score_marks_its_minute_dirty_and_the_next_run_recomputes_the_minute_hour_and_day()
    {
        var bed = await MetricsTestbed.CreateAsync();
        var traceId = Guid.NewGuid().ToString("N");
        var at = Start.AddMinutes(10).AddSeconds(5);
        await bed.WriteAsync(at, traceId: traceId);
        bed.Clock.SetUtcNow(Start.AddDays(1).AddHours(1));
        await bed.Rollup.RunAsync(default);

        await bed.Ledger.RecordScoresAsync(traceId, "00f067aa0ba902b7", at, new Dictionary<string, double> { ["relevance"] = 0.8 }, "heuristic", new Dictionary<string, string>(), default);
        await bed.DirtyMinutes.MarkIfRolledUpAsync(at, default);
        var marked = await bed.DirtyMinutes.ListAsync(10, default);
        var run = await bed.Rollup.RunAsync(default);

        Assert.Equal([Start.AddMinutes(10)], marked.Select(m => m.Minute));
        Assert.Equal(1, run!.DirtyMinutes);
        Assert.Empty(await bed.DirtyMinutes.ListAsync(10, default));
        foreach (var range in new[]
        {
            new MetricsRange(Start.AddMinutes(10), Start.AddMinutes(11), null, RollupGranularity.Minute),
            new MetricsRange(Start, Start.AddHours(1), "demo", RollupGranularity.Hour),
            new MetricsRange(Start, Start.AddDays(1), null, RollupGranularity.Day),
        })
        {
            var slice = await bed.Query.QueryAsync(range, default);
            Assert.Equal(0, slice.Source.LedgerRows);
            Assert.Equal(1, slice.Source.RollupRows);
            Assert.Equal(0.8, slice.Total.Scores["relevance"].Mean, 6);
        }
    }

    [Fact]
    public async Task A_row_dated_in_a_closed_minute_counts_once_its_writer_marks_the_minute()
    {
        var bed = await MetricsTestbed.CreateAsync();
        await bed.WriteAsync(Start.AddMinutes(5));
        bed.Clock.SetUtcNow(Start.AddDays(1).AddHours(1));
        await bed.Rollup.RunAsync(default);

        // Outside usage dated back into the closed day, as /costs/track writes it.
        await bed.WriteAsync(Start.AddMinutes(30));
        var unmarked = await bed.Query.QueryAsync(new MetricsRange(Start, Start.AddDays(1), null, RollupGranularity.Day), default);
        await bed.DirtyMinutes.MarkIfRolledUpAsync(Start.AddMinutes(30), default);
        await bed.Rollup.RunAsync(default);
        var marked = await bed.Query.QueryAsync(new MetricsRange(Start, Start.AddDays(1), null, RollupGranularity.Day), default);

        Assert.Equal(1, unmarked.Total.Count);
        Assert.Equal(2, marked.Total.Count);
    }

    [Fact]
    public async Task A_score_for_a_minute_not_yet_claimed_leaves_no_mark_and_a_mark_set_again_survives_its_clearing()
    {
        var bed = await MetricsTestbed.CreateAsync();
        await bed.WriteAsync(Start.AddMinutes(1));
        bed.Clock.SetUtcNow(Start.AddMinutes(10));
        await bed.Rollup.RunAsync(default);

        await bed.DirtyMinutes.MarkIfRolledUpAsync(Start.AddMinutes(9), default);
        Assert.Empty(await bed.DirtyMinutes.ListAsync(10, default));

        await bed.DirtyMinutes.MarkIfRolledUpAsync(Start.AddMinutes(1), default);
        var (minute, etag) = Assert.Single(await bed.DirtyMinutes.ListAsync(10, default));
        await bed.DirtyMinutes.MarkIfRolledUpAsync(Start.AddMinutes(1), default);

        Assert.False(await bed.DirtyMinutes.ClearAsync(minute, etag, default));
        Assert.Single(await bed.DirtyMinutes.ListAsync(10, default));
    }

    [Fact]
    public async Task A_run_that_fell_behind_catches_up_batch_by_batch_and_closes_every_hour_and_day()
    {
        var bed = await MetricsTestbed.CreateAsync(new MetricsOptions { BatchMinutes = 45 });
        for (var hour = 0; hour < 50; hour += 7)
        {
            await bed.WriteAsync(Start.AddHours(hour).AddMinutes(hour % 60));
        }

        bed.Clock.SetUtcNow(Start.AddDays(3));
        var run = await bed.Rollup.RunAsync(default);
        var days = await bed.Query.QueryAsync(new MetricsRange(Start, Start.AddDays(2), null, RollupGranularity.Day), default);
        var hours = await bed.Query.QueryAsync(new MetricsRange(Start, Start.AddDays(2), null, RollupGranularity.Hour), default);

        Assert.Equal(Start.AddDays(3).AddMinutes(-2), run!.RolledUpTo);
        Assert.Equal(Start.AddDays(3).AddMinutes(-2), (await bed.Watermarks.GetAsync(default))!.Done);
        Assert.Equal(8, run.LedgerRows);
        // The eighth row is on the third day, outside the two days asked for.
        Assert.Equal((7L, 2L), (days.Total.Count, days.Source.RollupRows));
        Assert.Equal((7L, 7L), (hours.Total.Count, hours.Source.RollupRows));
    }

    [Fact]
    public async Task A_thirty_day_range_reads_a_few_dozen_rollup_rows_whatever_the_traffic()
    {
        var bed = await MetricsTestbed.CreateAsync();
        var rows = Enumerable.Range(0, 300).Select(i => MetricsTestbed.Row(Start.AddMinutes(i * 137), latencyMs: 50 + (i * 37 % 900))).ToList();
        await Task.WhenAll(rows.Chunk(30).Select(async chunk =>
        {
            foreach (var row in chunk)
            {
                await bed.Ledger.WriteAsync(row, default);
            }
        }));
        bed.Clock.SetUtcNow(Start.AddDays(31));
        await bed.Rollup.RunAsync(default);
        var range = new MetricsRange(Start.AddHours(5).AddMinutes(17), Start.AddDays(30).AddHours(5).AddMinutes(17), null, RollupGranularity.Day);

        var slice = await bed.Query.QueryAsync(range, default);

        var expected = rows.Count(r => r.Timestamp >= range.From && r.Timestamp < range.To);
        Assert.Equal(expected, slice.Total.Count);
        Assert.Equal(0, slice.Source.LedgerRows);
        // 29 whole days, the edge days' whole hours (at most 18 + 5), minutes at the edges only where there was traffic.
        Assert.InRange(slice.Source.RollupRows, 1, 29 + 23 + 2);
        Assert.Equal(31, slice.Buckets.Count);
    }

    [Fact]
    public async Task Runs_never_overlap_a_run_that_finds_the_lease_taken_does_nothing()
    {
        var bed = await MetricsTestbed.CreateAsync();
        await bed.WriteAsync(Start.AddMinutes(1));
        bed.Clock.SetUtcNow(Start.AddMinutes(10));
        await using (var held = await HoldLeaseAsync(bed))
        {
            Assert.Null(await bed.Rollup.RunAsync(default));
            Assert.Null(await bed.Watermarks.GetAsync(default));
        }

        Assert.NotNull(await bed.Rollup.RunAsync(default));
    }

    [Fact]
    public async Task The_persona_report_ranks_broken_rules_by_their_share_of_audited_replies_and_the_dataset_report_counts_additions()
    {
        var bed = await MetricsTestbed.CreateAsync();
        var persona = new Dictionary<string, double> { ["persona_consistency"] = 0.5, ["relevance"] = 0.9 };
        await bed.WriteAsync(Start.AddMinutes(1), scores: persona, violations: ["first_person", "no_ai_disclosure"], dataset: "twin-demo");
        await bed.WriteAsync(Start.AddMinutes(2), scores: persona, violations: ["no_ai_disclosure"]);
        await bed.WriteAsync(Start.AddMinutes(3), scores: new Dictionary<string, double> { ["persona_consistency"] = 1.0, ["relevance"] = 0.7 }, dataset: "twin-demo");
        await bed.WriteAsync(Start.AddMinutes(4), scores: new Dictionary<string, double> { ["persona_consistency"] = 1.0 }, dataset: "other");
        bed.Clock.SetUtcNow(Start.AddHours(2));
        await bed.Rollup.RunAsync(default);

        var slice = await bed.Query.QueryAsync(new MetricsRange(Start, Start.AddHours(1), null, RollupGranularity.Minute), default);
        var personaReport = MetricsReports.Persona(slice, "persona_consistency");
        var datasets = MetricsReports.Dataset(slice);

        Assert.Equal(4, personaReport.Audited);
        Assert.Equal([("no_ai_disclosure", 2L, (double?)0.5), ("first_person", 1L, 0.25)], personaReport.MostViolatedRules.Select(r => (r.Rule, r.Count, r.Share)));
        Assert.Equal(0.75, personaReport.PersonaConsistency!.Mean);
        Assert.Equal(3, datasets.Added);
        Assert.Equal([("other", 1L), ("twin-demo", 2L)], datasets.Datasets.Select(d => (d.Name, d.Added)));
        Assert.Equal(1, datasets.Datasets.Single(d => d.Name == "twin-demo").Series.Single(p => p.Start == Start.AddMinutes(3)).Count);
        Assert.Equal((2L, 0.8), (datasets.Scores["relevance"].Count, datasets.Scores["relevance"].Mean!.Value));
    }

    private static async Task<RollupLease.Held> HoldLeaseAsync(MetricsTestbed bed) =>
        await bed.Lease.TryAcquireAsync(default) ?? throw new InvalidOperationException("The lease should have been free.");

    private static string Summary(MetricsBucket bucket)
    {
        var a = bucket.Aggregate;
        var latency = a.Latency.Count == 0 ? "-" : $"{a.Latency.Quantile(0.5):F3}/{a.Latency.Quantile(0.95):F3}/{a.Latency.Sum:F3}";
        static string Scores(SortedDictionary<string, ScoreSummary> scores) => string.Join(",", scores.Select(s => $"{s.Key}:{s.Value.Count}:{s.Value.Sum:F6}:{string.Join('.', s.Value.Bins)}"));
        return $"{bucket.Start:u} n={a.Count} e={a.ErrorCount} [{string.Join(",", a.ErrorTypes)}] tok={a.InputTokens}/{a.OutputTokens} cost={a.CostUsd:F9} lat={latency} {Scores(a.Scores)} v=[{string.Join(",", a.Violations)}] d=[{string.Join(",", a.DatasetAdds)}] {Scores(a.DatasetScores)}";
    }

    // 60 chats over three hours: two twins, errors of two types, latencies from 40 ms to 12 s, two scores.
    private static async Task WriteMixedTrafficAsync(MetricsTestbed bed, bool fixedTraceIds = false)
    {
        for (var i = 0; i < 60; i++)
        {
            var at = Start.AddMinutes(i * 3).AddSeconds(i % 50);
            var status = i % 9 == 0 ? "error" : "ok";
            var scores = i % 2 == 0 ? new Dictionary<string, double> { ["relevance"] = (i % 11) / 10.0, ["groundedness"] = (i % 7) / 6.0 } : null;
            await bed.WriteAsync(
                at,
                twinId: i % 3 == 0 ? "alpha" : "demo",
                status: status,
                latencyMs: 40 + (i * i * 37 % 12_000),
                errorType: status == "error" ? (i % 2 == 0 ? "rate_limited" : "llm_timeout") : null,
                scores: scores,
                violations: i % 4 == 0 ? ["first_person"] : i % 10 == 0 ? ["first_person", "no_ai_disclosure"] : null,
                dataset: scores is not null && i % 6 == 0 ? "twin-demo" : null,
                traceId: fixedTraceIds ? i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture) : null);
        }
    }
}
