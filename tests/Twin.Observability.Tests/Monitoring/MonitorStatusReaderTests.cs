using Twin.Observability.Metrics;
using Twin.Observability.Monitoring;
using Xunit;
using static Twin.Observability.Tests.Monitoring.MonitorTestSupport;

namespace Twin.Observability.Tests.Monitoring;

[Collection(AzuriteCollection.Name)]
public sealed class MonitorStatusReaderTests
{
    [Fact]
    public async Task Status_reads_uptime_latency_failures_in_a_row_and_next_run()
    {
        var store = new MonitorResultStore(await TablesAsync());
        var reader = new MonitorStatusReader(store);
        var check = Check();
        var now = T0;

        // The last 24 hours: 20 runs, 10 minutes apart, latencies 100 … 2,000 ms; the two newest failed.
        for (var i = 1; i <= 20; i++)
        {
            await store.AddAsync(Result(check.Id, now.AddMinutes(-10 * i), ok: i > 2, latencyMs: 100 * (21 - i)), default);
        }

        // Older: in the 30 days but not the 24 hours, and outside both.
        var firstDay = new DateTimeOffset(2026, 10, 4, 0, 0, 0, TimeSpan.Zero);   // today (Nov 2) − 29 days
        await store.AddAsync(Result(check.Id, now.AddHours(-25), latencyMs: 50_000), default);
        await store.AddAsync(Result(check.Id, now.AddDays(-3), ok: false), default);
        await store.AddAsync(Result(check.Id, firstDay), default);
        await store.AddAsync(Result(check.Id, firstDay.AddTicks(-1), ok: false), default);
        await store.AddAsync(Result(check.Id, now.AddDays(-40), ok: false), default);

        var status = await reader.StatusAsync(check, now, default);

        Assert.Equal(check.Id, status.CheckId);
        Assert.Equal("Greeting", status.Name);
        Assert.Equal(MonitorCheck.TwinKind, status.Kind);
        Assert.True(status.Enabled);
        Assert.Equal(now.AddMinutes(-10), status.Last!.At);
        Assert.False(status.Last.Ok);
        Assert.Equal(2_000, status.Last.LatencyMs);
        Assert.Equal(2, status.ConsecutiveFailures);
        Assert.Equal(18.0 / 20, status.Uptime24h!.Value, 9);
        Assert.Equal(20.0 / 23, status.Uptime30d!.Value, 9);     // 20 + 3 runs in Oct 4 … Nov 2, 3 failed
        Assert.Equal(1_000, status.LatencyP50Ms!.Value, 1_000 * LatencySketch.RelativeAccuracy);
        Assert.Equal(1_900, status.LatencyP95Ms!.Value, 1_900 * LatencySketch.RelativeAccuracy);
        Assert.Equal(now.AddMinutes(-5), status.NextDueAt);
    }

    [Fact]
    public async Task A_check_never_run_has_no_figures_and_is_due_now()
    {
        var reader = new MonitorStatusReader(new MonitorResultStore(await TablesAsync()));

        var status = await reader.StatusAsync(Check(), T0, default);

        Assert.Equal(new MonitorCheckStatus(Check().Id, "Greeting", MonitorCheck.TwinKind, true, null, null, null, null, null, 0, T0), status);
        var disabled = await reader.StatusAsync(Check(enabled: false), T0, default);
        Assert.Null(disabled.NextDueAt);
    }

    [Fact]
    public async Task Uptime_over_30_days_counts_runs_older_than_a_day_without_a_run_today()
    {
        var store = new MonitorResultStore(await TablesAsync());
        var reader = new MonitorStatusReader(store);
        var check = Check(intervalMinutes: 60);
        await store.AddAsync(Result(check.Id, T0.AddDays(-2)), default);
        await store.AddAsync(Result(check.Id, T0.AddDays(-2).AddHours(1), ok: false), default);

        var status = await reader.StatusAsync(check, T0, default);

        Assert.Null(status.Uptime24h);
        Assert.Null(status.LatencyP50Ms);
        Assert.Equal(0.5, status.Uptime30d);
        Assert.Equal(1, status.ConsecutiveFailures);
        Assert.Equal(T0.AddDays(-2).AddHours(2), status.NextDueAt);
    }

    [Fact]
    public async Task Failures_in_a_row_are_counted_up_to_the_newest_hundred()
    {
        var store = new MonitorResultStore(await TablesAsync());
        var check = Check(intervalMinutes: 1);
        await store.AddAsync(Result(check.Id, T0.AddHours(-30)), default);  // a pass before the 24 hours
        for (var i = 1; i <= MonitorStatusReader.MaxConsecutiveFailures + 5; i++)
        {
            await store.AddAsync(Result(check.Id, T0.AddMinutes(-i), ok: false), default);
        }

        var status = await new MonitorStatusReader(store).StatusAsync(check, T0, default);

        Assert.Equal(MonitorStatusReader.MaxConsecutiveFailures, status.ConsecutiveFailures);
        Assert.Equal(0.0, status.Uptime24h);
    }
}
