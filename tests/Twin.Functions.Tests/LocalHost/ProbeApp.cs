using System.Net.Http.Json;
using System.Text.Json;
using Twin.LocalHost;
using Twin.Testing;

namespace Twin.Functions.Tests.LocalHost;

/// <summary>
/// The test-only functions app (timer, queue and HTTP probes) on the local host, in its real worker. What its functions
/// saw lives in the worker process; <see cref="RecordedAsync"/> reads it over HTTP.
/// </summary>
public sealed class ProbeApp : IAsyncDisposable
{
    public const string MasterKey = "master-key-for-tests";
    public const string HostKey = "host-key-for-tests";
    public const string FunctionKey = "keyed-echo-function-key";
    public const string NeverDue = "0 0 0 1 1 *";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private ProbeApp(LocalHostServer server, string queueName)
    {
        Server = server;
        QueueName = queueName;
    }

    public static LocalFunctionsApp Definition { get; } = LocalFunctionsApp.Built("Twin.LocalHost.TestFunctions");

    public LocalHostServer Server { get; }

    public string QueueName { get; }

    /// <summary>Settings of a probe app of its own: its queues and its timers' status (a host id) no other test shares.</summary>
    public static Dictionary<string, string?> Settings(string tickSchedule = NeverDue, string? storage = null) => new()
    {
        ["AzureWebJobsStorage"] = storage ?? AzuriteFixture.ConnectionString,
        ["AzureFunctionsWebHost:hostid"] = NewName("probe-host-"),
        ["Probe:TickSchedule"] = tickSchedule,
        ["Probe:Queue"] = NewName("probe-"),
        ["LocalHost:MasterKey"] = MasterKey,
        ["LocalHost:HostKeys:default"] = HostKey,
        ["LocalHost:FunctionKeys:KeyedEcho:default"] = FunctionKey,
    };

    private static string NewName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..16];

    public static Task<ProbeApp> StartAsync(string tickSchedule = NeverDue) => StartAsync(Settings(tickSchedule: tickSchedule));

    public static async Task<ProbeApp> StartAsync(Dictionary<string, string?> settings, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var server = await LocalHostServer.StartAsync(Definition, settings, configure);
        return new ProbeApp(server, settings["Probe:Queue"]!);
    }

    public async Task<ProbeRecord> RecordedAsync() =>
        (await Server.Client.GetFromJsonAsync<ProbeRecord>("/api/probe-recorded", Json))!;

    public async Task<int> CountAsync(string function) => (await RecordedAsync()).TimerRuns.Count(r => r.Function == function);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

public sealed record ProbeRecord(IReadOnlyList<ProbeTimerRun> TimerRuns, IReadOnlyList<ProbeQueueDelivery> QueueDeliveries, IReadOnlyList<string> Cancelled);

public sealed record ProbeTimerRun(string Function, DateTime At, bool IsPastDue, DateTime? Last, DateTime? Next);

public sealed record ProbeQueueDelivery(string Function, string Body, long DequeueCount, string? Id, string? InsertionTime, string? TraceParent);
