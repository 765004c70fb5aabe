using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twin.LocalHost.Http;
using Twin.LocalHost.Metadata;
using Twin.LocalHost.Queues;
using Twin.LocalHost.Timers;
using Twin.LocalHost.Worker;

namespace Twin.LocalHost.Triggers;

/// <summary>
/// Once the worker is ready, turns what it loaded into triggers: routes for the HTTP functions, a schedule for each
/// timer, a poller for each queue. Listeners stop with the host, before the worker does.
/// </summary>
public sealed partial class FunctionTriggers(
    LocalFunctionsApp app,
    WorkerHost worker,
    HttpFunctionEndpoints endpoints,
    HttpFunctionForwarder forwarder,
    HostSettings hostSettings,
    IConfiguration configuration,
    IServiceProvider services,
    ILogger<FunctionTriggers> logger) : BackgroundService
{
    public const string HostIdSetting = "AzureFunctionsWebHost:hostid";

    private static readonly TimeSpan ListenerRestartDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ListenerMaxRestartDelay = TimeSpan.FromSeconds(30);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var session = await worker.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        endpoints.Set(session.Functions.Where(f => f.Trigger.Type == FunctionSelector.HttpTrigger), hostSettings.RoutePrefix, forwarder.For);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var session = await worker.Ready.ConfigureAwait(false);
        var listeners = new List<Task>();
        foreach (var function in session.Functions)
        {
            switch (function.Trigger.Type)
            {
                case FunctionSelector.TimerTrigger:
                    var timer = ActivatorUtilities.CreateInstance<TimerTriggerListener>(services, TimerFunction.Create(function, configuration), TimerStatus(), session, TimeProvider.System);
                    listeners.Add(RunAsync(function.Name, timer.RunAsync, stoppingToken));
                    break;
                case FunctionSelector.QueueTrigger:
                    var queue = ActivatorUtilities.CreateInstance<QueueTriggerListener>(services, QueueFunction.Create(function, configuration, hostSettings.Queues), session);
                    listeners.Add(RunAsync(function.Name, queue.RunAsync, stoppingToken));
                    break;
            }
        }

        await Task.WhenAll(listeners).ConfigureAwait(false);
    }

    // A listener never takes the host down: what escapes it is logged, and it starts over after a back-off that grows
    // while it keeps failing (a listener that fails at once must not spin).
    private async Task RunAsync(string functionName, Func<CancellationToken, Task> listen, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var restarts = StorageBackoff.Build(ListenerRestartDelay, ListenerMaxRestartDelay, ex => ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested, (ex, _) => LogListenerFailed(ex, functionName));
        try
        {
            await restarts.ExecuteAsync(async ct => await listen(ct).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private TimerStatusStore? _timerStatus;

    private TimerStatusStore TimerStatus() => _timerStatus ??= new TimerStatusStore(
        new BlobServiceClient(configuration[QueueFunction.DefaultConnection]
            ?? throw new InvalidOperationException($"Timer functions need '{QueueFunction.DefaultConnection}': the host keeps their schedule status there."))
            .GetBlobContainerClient(TimerStatusStore.ContainerName),
        HostId());

    // The real host derives its id from the site name; locally, the machine and app make one (at most 32 characters).
    private string HostId()
    {
        var id = configuration[HostIdSetting] is { Length: > 0 } set ? set : $"{Environment.MachineName}-{app.Name}";
        var clean = new string(id.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return clean.Length > 32 ? clean[..32].TrimEnd('-') : clean;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The trigger listener of '{FunctionName}' failed; it starts again")]
    private partial void LogListenerFailed(Exception exception, string functionName);
}
