using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Twin.LocalHost;

namespace Twin.Benchmarks;

/// <summary>
/// The local host with the probe app's real worker: how long the host takes from start to serving (worker started,
/// handshake, functions loaded, its HTTP port bound), and what a request costs through host and worker compared with
/// one the host answers alone (a refused key). The timer and queue probes are disabled: this measures the HTTP path.
/// </summary>
[MemoryDiagnoser]
// In this process: the probe app's path is written next to this assembly, not next to a generated one.
[InProcess]
public class LocalHostBenchmarks
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["Probe:TickSchedule"] = "0 0 0 1 1 *",
        ["Probe:Queue"] = "probe-benchmark",
        ["LocalHost:MasterKey"] = "benchmark-master-key",
        ["AzureWebJobs.EverySecond.Disabled"] = "true",
        ["AzureWebJobs.AtStartup.Disabled"] = "true",
        ["AzureWebJobs.WorkItem.Disabled"] = "true",
        ["AzureWebJobs.TextItem.Disabled"] = "true",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private readonly LocalFunctionsApp _app = LocalFunctionsApp.Built("Twin.LocalHost.TestFunctions");
    private WebApplication? _host;
    private HttpClient? _client;

    [GlobalSetup(Targets = [nameof(ThroughTheWorker), nameof(AnsweredByTheHost)])]
    public async Task StartAsync()
    {
        _host = await StartHostAsync();
        var address = _host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    [GlobalCleanup(Targets = [nameof(ThroughTheWorker), nameof(AnsweredByTheHost)])]
    public async Task StopAsync()
    {
        _client?.Dispose();
        if (_host is not null)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
        }
    }

    /// <summary>Start to serving, then stop: the cold start a developer (or a test fixture) waits for.</summary>
    [Benchmark]
    public async Task ColdStart()
    {
        var host = await StartHostAsync();
        await host.StopAsync();
        await host.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public async Task<int> AnsweredByTheHost()
    {
        using var response = await _client!.GetAsync("/api/probe-admin?code=wrong");
        return (int)response.StatusCode;
    }

    [Benchmark]
    public async Task<int> ThroughTheWorker()
    {
        using var response = await _client!.GetAsync("/api/probe-trace/bench");
        return (int)response.StatusCode;
    }

    private async Task<WebApplication> StartHostAsync()
    {
        var host = LocalFunctionsHost.Build(_app, ["--urls", "http://127.0.0.1:0"], Settings);
        await host.StartAsync();
        return host;
    }
}
