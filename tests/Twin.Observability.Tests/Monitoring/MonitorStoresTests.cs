using Azure;
using Twin.Observability.Common;
using Twin.Observability.Monitoring;
using Xunit;
using static Twin.Observability.Tests.Monitoring.MonitorTestSupport;

namespace Twin.Observability.Tests.Monitoring;

[Collection(AzuriteCollection.Name)]
public sealed class MonitorStoresTests
{
    private const string CheckA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string CheckB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string CheckC = "cccccccccccccccccccccccccccccccc";

    [Fact]
    public async Task Checks_round_trip_with_ETags()
    {
        var store = new MonitorCheckStore(await TablesAsync());
        var url = new MonitorCheck
        {
            Id = CheckB,
            Name = "Status page",
            Kind = MonitorCheck.UrlKind,
            Url = "https://status.example.org/health",
            ExpectStatus = 204,
            ExpectContains = "ok",
            MaxLatencyMs = 2_000,
            IntervalMinutes = 1,
            Enabled = false,
            CreatedAt = T0,
            UpdatedAt = T0,
        };
        var twin = Check(CheckA) with { MinScore = 0.6 };

        var added = await store.AddAsync(twin, default);
        await store.AddAsync(url, default);
        await Assert.ThrowsAsync<ResourceConflictException>(() => store.AddAsync(twin, default));

        Assert.NotNull(added.ETag);
        var found = await store.FindAsync(CheckA, default);
        Assert.Equal(twin with { ETag = found!.ETag }, found);
        Assert.Equal(url with { ETag = null }, (await store.FindAsync(CheckB, default))! with { ETag = null });
        Assert.Null(await store.FindAsync("missing", default));
        Assert.Null(await store.FindAsync("bad/id", default));

        var replaced = await store.ReplaceAsync(found with { Name = "Renamed", UpdatedAt = T0.AddHours(1) }, new ETag(found.ETag!), default);
        Assert.Equal("Renamed", (await store.FindAsync(CheckA, default))!.Name);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => store.ReplaceAsync(found with { Name = "Stale" }, new ETag(found.ETag!), default));

        var page = await store.ListAsync(new PageRequest(1, null), default);
        Assert.Single(page.Items);
        Assert.NotNull(page.ContinuationToken);
        Assert.Equal(new[] { CheckA, CheckB }, (await store.AllAsync(default)).Select(c => c.Id));

        await Assert.ThrowsAsync<PreconditionFailedException>(() => store.DeleteAsync(CheckA, new ETag(found.ETag!), default));
        Assert.True(await store.DeleteAsync(CheckA, new ETag(replaced.ETag!), default));
        Assert.False(await store.DeleteAsync(CheckA, ETag.All, default));
        Assert.Equal(new[] { CheckB }, (await store.AllAsync(default)).Select(c => c.Id));
    }

    [Fact]
    public async Task Results_round_trip_newest_first()
    {
        var store = new MonitorResultStore(await TablesAsync());
        var results = Enumerable.Range(0, 6).Select(i => Result(CheckA, T0.AddMinutes(i), ok: i % 2 == 0, latencyMs: 100 + i, twinId: "ada")).ToList();
        var detailed = results[5] with { Score = 0.42, TraceId = "trace-1", Failures = ["status 500, expected 200", "latency 9000 ms > 5000 ms"] };
        results[5] = detailed;
        foreach (var i in new[] { 3, 0, 5, 1, 4, 2 })
        {
            await store.AddAsync(results[i], default);
        }

        await store.AddAsync(Result(CheckB, T0.AddMinutes(10)), default);

        var latest = await store.LatestAsync(CheckA, 3, default);
        Assert.Equal(new[] { 105L, 104, 103 }, latest.Select(r => r.LatencyMs));
        var newest = latest[0];
        Assert.Equal(detailed.At, newest.At);
        Assert.Equal(CheckA, newest.CheckId);
        Assert.Equal("ada", newest.TwinId);
        Assert.False(newest.Ok);
        Assert.Equal(500, newest.Status);
        Assert.Equal(0.42, newest.Score);
        Assert.Equal("trace-1", newest.TraceId);
        Assert.Equal(detailed.Failures, newest.Failures);
        Assert.Empty(latest[1].Failures);

        Assert.Equal(6, (await store.LatestAsync(CheckA, 100, default)).Count);
        Assert.Empty(await store.LatestAsync("missing", 10, default));

        var since = await store.SinceAsync(CheckA, T0.AddMinutes(2), default);
        Assert.Equal(new[] { 105L, 104, 103, 102 }, since.Select(r => r.LatencyMs));
    }

    [Fact]
    public async Task Failure_lines_are_capped_so_a_row_stays_within_the_table_limits()
    {
        var store = new MonitorResultStore(await TablesAsync());
        var failures = Enumerable.Range(0, 25).Select(i => i == 0 ? new string('x', 1_500) : $"failure {i}").ToList();

        await store.AddAsync(Result(CheckA, T0, ok: false) with { Failures = failures }, default);

        var stored = Assert.Single(await store.LatestAsync(CheckA, 10, default)).Failures;
        Assert.Equal(MonitorResultStore.MaxFailures, stored.Count);
        Assert.Equal(new string('x', MonitorResultStore.MaxFailureLength), stored[0]);
        Assert.Equal("failure 19", stored[^1]);
    }

    [Fact]
    public async Task Day_rows_lose_no_update_under_concurrent_adds()
    {
        var tables = await TablesAsync();
        var stores = new[] { new MonitorResultStore(tables), new MonitorResultStore(tables) };
        var at = T0.AddMinutes(1);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            stores[i % 2].AddAsync(Result(CheckA, at.AddSeconds(i), ok: i % 4 != 0, latencyMs: 100 * (i + 1), twinId: "ada"), default))));

        var day = DateOnly.FromDateTime(T0.UtcDateTime);
        var days = await stores[0].DaysAsync(CheckA, day, day, default);
        var row = Assert.Single(days);
        Assert.Equal(20, row.Runs);
        Assert.Equal(5, row.Failures);
        Assert.Equal("ada", row.TwinId);
        Assert.Equal(20, row.Latency.Count);
        Assert.Equal(100, row.Latency.Min);
        Assert.Equal(2_000, row.Latency.Max);
        Assert.Equal(20, (await stores[0].LatestAsync(CheckA, 100, default)).Count);
    }

    [Fact]
    public async Task Day_rows_split_at_UTC_midnight()
    {
        var store = new MonitorResultStore(await TablesAsync());
        var midnight = new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);
        await store.AddAsync(Result(CheckA, midnight.AddTicks(-1), ok: false), default);
        await store.AddAsync(Result(CheckA, midnight), default);
        await store.AddAsync(Result(CheckA, midnight.AddHours(23)), default);

        var days = await store.DaysAsync(CheckA, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 4), default);

        Assert.Equal(new[] { (new DateOnly(2026, 11, 2), 1L, 1L), (new DateOnly(2026, 11, 3), 2L, 0L) }, days.Select(d => (d.Day, d.Runs, d.Failures)));
    }

    [Fact]
    public async Task Counts_cover_a_window_across_two_hours_for_all_checks_or_one_twin()
    {
        var store = new MonitorResultStore(await TablesAsync());
        var from = T0.AddMinutes(30);
        var to = T0.AddMinutes(90);
        var results = new[]
        {
            Result(CheckA, from.AddTicks(-1), twinId: "ada", ok: false),  // before from
            Result(CheckA, from, twinId: "ada"),                          // at from: counted
            Result(CheckA, T0.AddMinutes(59), twinId: "ada"),
            Result(CheckA, T0.AddMinutes(60), twinId: "ada"),             // the next hour's first instant
            Result(CheckA, to.AddTicks(-1), twinId: "ada", ok: false),
            Result(CheckA, to, twinId: "ada", ok: false),                 // at to: not counted
            Result(CheckB, T0.AddMinutes(45), twinId: "bob", ok: false),
            Result(CheckB, T0.AddMinutes(70), twinId: "bob"),
            Result(CheckC, T0.AddMinutes(75)),                            // a URL check: no twin
            Result(CheckC, T0.AddHours(-2), ok: false),                   // hours before
        };
        foreach (var result in results)
        {
            await store.AddAsync(result, default);
        }

        Assert.Equal((7L, 2L), await store.CountsAsync(null, from, to, default));
        Assert.Equal((4L, 1L), await store.CountsAsync("ada", from, to, default));
        Assert.Equal((2L, 1L), await store.CountsAsync("bob", from, to, default));
        Assert.Equal((0L, 0L), await store.CountsAsync("nobody", from, to, default));
        Assert.Equal((0L, 0L), await store.CountsAsync(null, to, from, default));
        Assert.Equal((10L, 5L), await store.CountsAsync(null, T0.AddDays(-1), T0.AddDays(1), default));
    }
}
