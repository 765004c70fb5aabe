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

    // A listener never takes the host down: what escapes it is logged, and it starts over after a pause.
    private async Task RunAsync(string functionName, Func<CancellationToken, Task> listen, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await listen(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogListenerFailed(ex, functionName);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            }
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
