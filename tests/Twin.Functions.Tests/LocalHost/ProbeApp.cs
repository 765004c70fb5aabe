using Microsoft.Extensions.DependencyInjection;
using Twin.LocalHost;
using Twin.LocalHost.TestFunctions;
using Twin.Testing;

namespace Twin.Functions.Tests.LocalHost;

/// <summary>The test-only functions app (timer, queue and keyed HTTP probes) on the local host.</summary>
public sealed class ProbeApp : IAsyncDisposable
{
    public const string MasterKey = "master-key-for-tests";
    public const string HostKey = "host-key-for-tests";
    public const string FunctionKey = "keyed-echo-function-key";

    private ProbeApp(LocalHostServer server, ProbeRecorder recorder, string queueName)
    {
        Server = server;
        Recorder = recorder;
        QueueName = queueName;
    }

    public LocalHostServer Server { get; }

    public ProbeRecorder Recorder { get; }

    public string QueueName { get; }

    public static LocalFunctionsApp Definition(ProbeRecorder recorder) =>
        new(typeof(ProbeFunctions).Assembly, (services, _) => services.AddSingleton(recorder));

    public static Dictionary<string, string?> Settings(string queueName, string tickSchedule = "0 0 0 1 1 *") => new()
    {
        ["AzureWebJobsStorage"] = AzuriteFixture.ConnectionString,
        ["Probe:TickSchedule"] = tickSchedule,
        ["Probe:Queue"] = queueName,
        ["LocalHost:MasterKey"] = MasterKey,
        ["LocalHost:HostKeys:default"] = HostKey,
        ["LocalHost:FunctionKeys:KeyedEcho:default"] = FunctionKey,
    };

    public static async Task<ProbeApp> StartAsync(string tickSchedule = "0 0 0 1 1 *")
    {
        var recorder = new ProbeRecorder();
        var queueName = "probe-" + Guid.NewGuid().ToString("N")[..16];
        var server = await LocalHostServer.StartAsync(Definition(recorder), Settings(queueName, tickSchedule));
        return new ProbeApp(server, recorder, queueName);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
