using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.LocalHost.Metadata;
using Twin.LocalHost.Rpc;
using Twin.LocalHost.Triggers;

namespace Twin.LocalHost.Worker;

/// <summary>
/// Starts the app's worker and keeps it: the gRPC endpoint, the process, the handshake and the functions it loads.
/// Start-up completes only when the worker is ready, so the host answers no request before that, and fails with the
/// worker's own error when it cannot start. A worker that exits later is reported at once; from then on invocations
/// fail fast (HTTP answers 503) instead of waiting for a worker that is gone.
/// </summary>
public sealed partial class WorkerHost(
    LocalFunctionsApp app,
    WorkerLaunch launch,
    FunctionSelector selector,
    RpcLogForwarder logForwarder,
    IOptions<WorkerOptions> options,
    ILoggerFactory loggers,
    ILogger<WorkerHost> logger) : IHostedService, IAsyncDisposable
{
    private readonly WorkerConnections _connections = new();
    private readonly TaskCompletionSource<WorkerSession> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WorkerRpcServer? _rpc;
    private volatile bool _stopping;

    /// <summary>Completes when the worker is ready (start-up waits for it).</summary>
    public Task<WorkerSession> Ready => _ready.Task;

    /// <summary>The ready worker, or null before it is (or when it never was).</summary>
    public WorkerSession? Current => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startup.CancelAfter(TimeSpan.FromSeconds(settings.StartupTimeoutSeconds));
        try
        {
            _rpc = await WorkerRpcServer.StartAsync(_connections, loggers, startup.Token).ConfigureAwait(false);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var session = await StartWorkerAsync(startup.Token).ConfigureAwait(false);
                    _ready.TrySetResult(session);
                    _ = WatchAsync(session);
                    LogReady(session.Process.Id, session.Functions.Count, session.HttpUri);
                    return;
                }
                catch (WorkerStartException ex) when (attempt < settings.StartAttempts && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    LogPortTaken(attempt);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var error = new WorkerStartException($"The worker was not ready within {settings.StartupTimeoutSeconds} s ({WorkerOptions.SectionName}:{nameof(WorkerOptions.StartupTimeoutSeconds)}).");
            _ready.TrySetException(error);
            throw error;
        }
        catch (Exception ex)
        {
            _ready.TrySetException(ex);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (Current is { } session)
        {
            var grace = TimeSpan.FromSeconds(options.Value.TerminateGraceSeconds);
            if (session.IsAlive)
            {
                try
                {
                    session.Connection.Send(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(grace) } });
                    await session.Process.Exited.WaitAsync(grace, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is WorkerUnavailableException or TimeoutException or OperationCanceledException)
                {
                    LogTerminateIgnored(session.Process.Id, ex.Message);
                }
            }

            session.Connection.Close("the host stopped");
            session.Connection.Dispose();
            session.Process.Dispose();
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _rpc, null) is { } rpc)
        {
            await rpc.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<WorkerSession> StartWorkerAsync(CancellationToken cancellationToken)
    {
        var workerId = Guid.NewGuid().ToString();
        var connection = new WorkerConnection(workerId, logForwarder.Forward);
        _connections.Add(connection);
        var process = WorkerProcess.Start(app, _rpc!.Address, workerId, launch.Environment, loggers);
        try
        {
            await WhileRunningAsync(process, connection.Connected, cancellationToken).ConfigureAwait(false);
            var httpUri = await WhileRunningAsync(process, WorkerHandshake.InitializeAsync(connection, app, cancellationToken), cancellationToken).ConfigureAwait(false);
            var indexed = await WhileRunningAsync(process, WorkerHandshake.IndexAsync(connection, app, cancellationToken), cancellationToken).ConfigureAwait(false);
            var chosen = selector.Select(indexed.Select(f => f.Function).ToList());
            if (chosen.Any(f => f.Trigger.Type == FunctionSelector.HttpTrigger) && httpUri is null)
            {
                throw new WorkerStartException("The app has HTTP functions but its worker serves no HTTP: call ConfigureFunctionsWebApplication() in Program.cs (ASP.NET Core integration).");
            }

            var loads = indexed.Where(f => chosen.Contains(f.Function)).Select(f => WorkerHandshake.LoadAsync(connection, app, f.Rpc, cancellationToken));
            await WhileRunningAsync(process, Task.WhenAll(loads), cancellationToken).ConfigureAwait(false);
            if (httpUri is not null)
            {
                await WhileRunningAsync(process, WorkerHttpPort.WaitUntilListeningAsync(httpUri, cancellationToken), cancellationToken).ConfigureAwait(false);
            }

            return new WorkerSession(connection, process, httpUri, chosen);
        }
        catch
        {
            _connections.Remove(connection);
            connection.Dispose();
            process.Dispose();
            throw;
        }
    }

    // A start-up step that the worker's exit ends at once, with the worker's own last words as the reason.
    private static async Task WhileRunningAsync(WorkerProcess process, Task step, CancellationToken cancellationToken)
    {
        var first = await Task.WhenAny(step, process.Exited).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (first == process.Exited || step.Exception?.InnerException is WorkerUnavailableException)
        {
            throw await ExitedAsync(process, cancellationToken).ConfigureAwait(false);
        }

        await step.ConfigureAwait(false);
    }

    private static async Task<T> WhileRunningAsync<T>(WorkerProcess process, Task<T> step, CancellationToken cancellationToken)
    {
        await WhileRunningAsync(process, (Task)step, cancellationToken).ConfigureAwait(false);
        return await step.ConfigureAwait(false);
    }

    private static async Task<WorkerStartException> ExitedAsync(WorkerProcess process, CancellationToken cancellationToken)
    {
        // The stream can break a moment before the exit is seen; the exit code and stderr are the useful part.
        var code = await process.Exited.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        var errors = process.RecentErrors;
        return new WorkerStartException(string.IsNullOrEmpty(errors)
            ? $"The worker exited with code {code} while starting."
            : $"The worker exited with code {code} while starting:{Environment.NewLine}{errors}");
    }

    private async Task WatchAsync(WorkerSession session)
    {
        var ended = await Task.WhenAny(session.Process.Exited, session.Connection.Closed).ConfigureAwait(false);
        if (_stopping)
        {
            return;
        }

        if (ended == session.Process.Exited)
        {
            var code = await session.Process.Exited.ConfigureAwait(false);
            LogWorkerExited(session.Process.Id, code);
            session.Connection.Close($"the worker process exited with code {code}");
        }
        else
        {
            var reason = await session.Connection.Closed.ConfigureAwait(false);
            LogWorkerHungUp(session.Process.Id, reason);
            session.Process.Kill();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker process {ProcessId} ready: {Count} functions loaded, HTTP at {HttpUri}")]
    private partial void LogReady(int processId, int count, Uri? httpUri);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The worker's HTTP port was taken when it bound it (start attempt {Attempt}); starting it again")]
    private partial void LogPortTaken(int attempt);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Worker process {ProcessId} exited with code {ExitCode}; the host answers 503 until it is restarted")]
    private partial void LogWorkerExited(int processId, int exitCode);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Worker process {ProcessId} closed its stream ({Reason}); it was stopped, and the host answers 503 until it is restarted")]
    private partial void LogWorkerHungUp(int processId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Worker process {ProcessId} did not stop gracefully ({Reason}); it is killed")]
    private partial void LogTerminateIgnored(int processId, string reason);
}
