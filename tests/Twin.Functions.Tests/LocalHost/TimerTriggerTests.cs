using Twin.LocalHost;
using Twin.LocalHost.TestFunctions;
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

        await Eventually.TrueAsync(() => probe.Recorder.Count("EverySecond") >= 3, TimeSpan.FromSeconds(15));

        // Each run reports the occurrence after its own: consecutive whole seconds, none run twice or skipped.
        var nexts = probe.Recorder.TimerRuns.Where(r => r.Function == "EverySecond").Select(r => r.Next!.Value).ToList();
        Assert.All(nexts, n => Assert.Equal(0, n.Millisecond));
        Assert.All(nexts.Zip(nexts.Skip(1), (a, b) => b - a), gap => Assert.Equal(TimeSpan.FromSeconds(1), gap));

        // AtStartup is scheduled once a year: its only run is the runOnStartup one.
        Assert.Equal(1, probe.Recorder.Count("AtStartup"));
    }

    [Fact]
    public async Task A_schedule_not_due_does_not_fire()
    {
        await using var probe = await ProbeApp.StartAsync(tickSchedule: "0 0 0 1 1 *");

        await Eventually.TrueAsync(() => probe.Recorder.Count("AtStartup") == 1, TimeSpan.FromSeconds(10));
        await Task.Delay(1500);

        Assert.Equal(0, probe.Recorder.Count("EverySecond"));
    }

    [Fact]
    public void A_missing_schedule_setting_stops_start_up()
    {
        var settings = ProbeApp.Settings("unused-queue");
        settings.Remove("Probe:TickSchedule");

        var error = Assert.Throws<InvalidOperationException>(() =>
            LocalFunctionsHost.Build(ProbeApp.Definition(new ProbeRecorder()), ["--urls", "http://127.0.0.1:0"], b => ReplaceSettings(b, settings)));

        Assert.Contains("Probe:TickSchedule", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_schedule_stops_start_up()
    {
        var settings = ProbeApp.Settings("unused-queue", tickSchedule: "every minute please");

        var error = Assert.Throws<InvalidOperationException>(() =>
            LocalFunctionsHost.Build(ProbeApp.Definition(new ProbeRecorder()), ["--urls", "http://127.0.0.1:0"], b => ReplaceSettings(b, settings)));

        Assert.Contains("EverySecond", error.Message, StringComparison.Ordinal);
    }

    private static void ReplaceSettings(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder, Dictionary<string, string?> settings)
    {
        Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(builder.Configuration, settings);
    }
}
