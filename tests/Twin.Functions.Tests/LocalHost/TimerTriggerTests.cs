using Azure.Storage.Blobs;
using Twin.LocalHost.Timers;
using Twin.LocalHost.Triggers;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.LocalHost;

[Collection(AzuriteCollection.Name)]
public sealed class TimerTriggerTests
{
    [Fact]
    public async Task A_six_field_schedule_from_a_setting_fires_every_second_and_run_on_startup_fires_once()
    {
        await using var probe = await ProbeApp.StartAsync(tickSchedule: "*/1 * * * * *");

        await Eventually.TrueAsync(async () => await probe.CountAsync("EverySecond") >= 3, TimeSpan.FromSeconds(15));

        // Each run reports the occurrence after its own: consecutive whole seconds, none run twice or skipped.
        var recorded = await probe.RecordedAsync();
        var nexts = recorded.TimerRuns.Where(r => r.Function == "EverySecond").Select(r => r.Next!.Value).ToList();
        Assert.All(nexts, n => Assert.Equal(0, n.Millisecond));
        Assert.All(nexts.Zip(nexts.Skip(1), (a, b) => b - a), gap => Assert.Equal(TimeSpan.FromSeconds(1), gap));

        // AtStartup is scheduled once a year: its only run is the runOnStartup one.
        Assert.Single(recorded.TimerRuns, r => r.Function == "AtStartup");
    }

    [Fact]
    public async Task A_schedule_not_due_does_not_fire()
    {
        var settings = ProbeApp.Settings(tickSchedule: ProbeApp.NeverDue);
        await using var probe = await ProbeApp.StartAsync(settings);

        // The event: a timer not due records its next occurrence without running, and a run (had the listener made one)
        // is recorded before its status, so once the status is there the listener has decided.
        var status = new BlobContainerClient(AzuriteFixture.ConnectionString, TimerStatusStore.ContainerName)
            .GetBlobClient($"timers/{settings[FunctionTriggers.HostIdSetting]}/EverySecond/status");
        await Eventually.TrueAsync(async () => (await status.ExistsAsync()).Value, TimeSpan.FromSeconds(10), "the timer's status recorded");
        var recorded = (await status.DownloadContentAsync()).Value.Content.ToObjectFromJson<TimerStatus>()!;

        Assert.Equal(default, recorded.Last);
        Assert.Equal(new DateTime(DateTime.UtcNow.Year + 1, 1, 1, 0, 0, 0), recorded.Next);
        Assert.Equal(0, await probe.CountAsync("EverySecond"));
    }

    [Fact]
    public async Task An_occurrence_missed_while_the_host_was_down_runs_at_start_past_due_from_the_stored_status()
    {
        var settings = ProbeApp.Settings(tickSchedule: "*/1 * * * * *");
        DateTime lastRun;
        await using (var first = await ProbeApp.StartAsync(settings))
        {
            await Eventually.TrueAsync(async () => await first.CountAsync("EverySecond") >= 1, TimeSpan.FromSeconds(10));
            var before = (await first.RecordedAsync()).TimerRuns;
            Assert.DoesNotContain(before, r => r.IsPastDue);
            lastRun = before.Last(r => r.Function == "EverySecond").At;
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await using var second = await ProbeApp.StartAsync(settings);

        await Eventually.TrueAsync(async () => await second.CountAsync("EverySecond") >= 2, TimeSpan.FromSeconds(10));
        var runs = (await second.RecordedAsync()).TimerRuns.Where(r => r.Function == "EverySecond").ToList();
        Assert.True(runs[0].IsPastDue, "the first run after the outage is past due");
        Assert.NotNull(runs[0].Last);
        Assert.True(runs[0].Last!.Value <= lastRun && runs[0].Last!.Value > lastRun.AddSeconds(-2), $"Last {runs[0].Last:o} is the last occurrence run before ({lastRun:o})");
        Assert.False(runs[1].IsPastDue);
    }

    [Fact]
    public async Task A_missing_schedule_setting_stops_start_up()
    {
        var settings = ProbeApp.Settings();
        settings.Remove("Probe:TickSchedule");

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => ProbeApp.StartAsync(settings));

        Assert.Contains("Probe:TickSchedule", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_schedule_stops_start_up()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ProbeApp.StartAsync(ProbeApp.Settings(tickSchedule: "every minute please")));

        Assert.Contains("EverySecond", error.Message, StringComparison.Ordinal);
    }
}
