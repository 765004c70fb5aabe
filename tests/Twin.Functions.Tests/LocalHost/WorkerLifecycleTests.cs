using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twin.Testing;
using Twin.Testing.Logging;
using Xunit;

namespace Twin.Functions.Tests.LocalHost;

/// <summary>What the host does when its worker is slow, gone, or stopping: never hang, always say why.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerLifecycleTests
{
    [Fact]
    public async Task A_worker_that_dies_is_logged_as_critical_and_requests_get_a_503_problem_at_once()
    {
        var logs = new RecordingLoggerProvider();
        await using var probe = await ProbeApp.StartAsync(ProbeApp.Settings(), b => b.Logging.AddProvider(logs));
        Assert.Equal(HttpStatusCode.OK, (await probe.Server.Client.GetAsync("/api/probe-trace/alive")).StatusCode);
        var pid = probe.Server.Worker.Process.Id;

        probe.Server.Worker.Process.Kill();
        await Eventually.TrueAsync(() => logs.Lines.Any(l => l.Level == LogLevel.Critical && l.Message.Contains(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the critical log of the worker's exit");

        var watch = Stopwatch.StartNew();
        var response = await probe.Server.Client.GetAsync("/api/probe-trace/dead");
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"answered after {watch.ElapsedMilliseconds} ms");
        Assert.Contains("worker", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_function_that_outlives_function_timeout_is_cancelled_and_the_caller_gets_an_answer()
    {
        var settings = ProbeApp.Settings();
        settings["AzureFunctionsJobHost:functionTimeout"] = "00:00:01";
        await using var probe = await ProbeApp.StartAsync(settings);
        var tag = Guid.NewGuid().ToString("N");

        var watch = Stopwatch.StartNew();
        var response = await probe.Server.Client.GetAsync($"/api/probe-slow/{tag}/30000");

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"answered after {watch.ElapsedMilliseconds} ms");
        Assert.True((int)response.StatusCode >= 500, $"got {(int)response.StatusCode}");
        await Eventually.TrueAsync(async () => (await probe.RecordedAsync()).Cancelled.Contains(tag), TimeSpan.FromSeconds(30), "the cancellation in the worker");
    }

    [Fact]
    public async Task Stopping_the_host_stops_its_worker()
    {
        var probe = await ProbeApp.StartAsync();
        var worker = Process.GetProcessById(probe.Server.Worker.Process.Id);

        await probe.DisposeAsync();

        Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(10)), "the worker exited with the host");
    }

    [Fact]
    public async Task A_worker_that_cannot_start_fails_the_hosts_start_with_the_workers_own_error()
    {
        var settings = ProbeApp.Settings();
        settings["Probe:FailAtStart"] = "true";

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => ProbeApp.StartAsync(settings));

        Assert.Contains("Probe:FailAtStart", error.Message, StringComparison.Ordinal);
    }
}
