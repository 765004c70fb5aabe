using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Twin.LocalHost.Metadata;
using Twin.LocalHost.Rpc;
using Twin.LocalHost.Worker;

namespace Twin.LocalHost.Invocation;

/// <summary>
/// Runs one invocation on the worker and waits for its outcome, bounded by host.json <c>functionTimeout</c>. When the
/// caller gives up (an HTTP client disconnects, the host stops) or the timeout passes, the worker is told with
/// <c>InvocationCancel</c>, which cancels the function's <c>CancellationToken</c>.
/// </summary>
public sealed partial class InvocationDispatcher(HostSettings hostSettings, ILogger<InvocationDispatcher> logger)
{
    public async Task<InvocationResponse> InvokeAsync(WorkerSession session, InvocationRequest request, FunctionMetadata function, CancellationToken cancellationToken)
    {
        request.FunctionId = function.FunctionId;
        if (string.IsNullOrEmpty(request.InvocationId))
        {
            request.InvocationId = Guid.NewGuid().ToString();
        }

        request.TraceContext ??= TraceContexts.New(function.Name);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(hostSettings.FunctionTimeout);
        var started = Stopwatch.GetTimestamp();
        LogExecuting(function.Name, request.InvocationId);
        StreamingMessage reply;
        try
        {
            reply = await session.Connection.RequestAsync(new StreamingMessage { RequestId = request.InvocationId, InvocationRequest = request }, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Cancel(session, request.InvocationId);
            LogTimedOut(function.Name, request.InvocationId, hostSettings.FunctionTimeout);
            throw new FunctionInvocationException(function.Name, request.InvocationId, $"timed out after {hostSettings.FunctionTimeout} (host.json functionTimeout)", ex) { TimedOut = true };
        }
        catch (OperationCanceledException)
        {
            Cancel(session, request.InvocationId);
            LogCancelled(function.Name, request.InvocationId);
            throw;
        }

        var response = reply.InvocationResponse
            ?? throw new FunctionInvocationException(function.Name, request.InvocationId, $"the worker answered with {reply.ContentCase}");
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (response.Result?.Status is not StatusResult.Types.Status.Success)
        {
            var error = response.Result?.Exception is { } reported ? new WorkerException(reported) : null;
            LogFailed(error, function.Name, request.InvocationId, elapsed.TotalMilliseconds);
            throw new FunctionInvocationException(function.Name, request.InvocationId, error?.Message ?? response.Result?.Result ?? "failed", error);
        }

        LogExecuted(function.Name, request.InvocationId, elapsed.TotalMilliseconds);
        return response;
    }

    private static void Cancel(WorkerSession session, string invocationId)
    {
        try
        {
            session.Connection.Send(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = invocationId } });
        }
        catch (WorkerUnavailableException)
        {
            // A worker that is gone runs nothing to cancel.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Executing 'Functions.{FunctionName}' (Id={InvocationId})")]
    private partial void LogExecuting(string functionName, string invocationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Executed 'Functions.{FunctionName}' (Succeeded, Id={InvocationId}, Duration={DurationMs:0.0}ms)")]
    private partial void LogExecuted(string functionName, string invocationId, double durationMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Executed 'Functions.{FunctionName}' (Failed, Id={InvocationId}, Duration={DurationMs:0.0}ms)")]
    private partial void LogFailed(Exception? exception, string functionName, string invocationId, double durationMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function 'Functions.{FunctionName}' (Id={InvocationId}) timed out after {Timeout}; the worker was told to cancel it")]
    private partial void LogTimedOut(string functionName, string invocationId, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Invocation of 'Functions.{FunctionName}' (Id={InvocationId}) cancelled by its caller")]
    private partial void LogCancelled(string functionName, string invocationId);
}
