using System.Text.Json;
using Microsoft.Extensions.Logging;
using Twin.LocalHost.Invocation;
using Twin.LocalHost.Rpc;
using Twin.LocalHost.Triggers;
using Twin.LocalHost.Worker;

namespace Twin.LocalHost.Timers;

/// <summary>
/// Runs one timer-triggered function on its schedule, as the host's timer listener does: once at start when
/// <c>runOnStartup</c> is set or when the occurrence after the last recorded run has passed (then <c>IsPastDue</c>),
/// never overlapping an invocation still running with the next one, and on after a failed invocation. The status is
/// recorded after each run; storage being down costs the record, not the run.
/// </summary>
public sealed partial class TimerTriggerListener(
    TimerFunction timer,
    TimerStatusStore statusStore,
    InvocationDispatcher dispatcher,
    WorkerSession session,
    TimeProvider time,
    ILogger<TimerTriggerListener> logger)
{
    private static readonly JsonSerializerOptions TimerInfoJson = new();

    private DateTime _last;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var name = timer.Function.Name;
        var status = await ReadStatusAsync(stoppingToken).ConfigureAwait(false);
        _last = status?.Last ?? default;
        var now = time.GetUtcNow().UtcDateTime;
        // The schedule may have changed since the status was written: what was due is judged by the current one.
        var due = status is null ? (DateTime?)null : status.Last != default ? timer.Schedule.NextAfter(status.Last) : status.Next;
        if (due is { } missed && missed < now)
        {
            LogPastDue(name, missed);
            await InvokeAsync(now, isPastDue: true, stoppingToken).ConfigureAwait(false);
        }
        else if (timer.RunOnStartup)
        {
            await InvokeAsync(now, isPastDue: false, stoppingToken).ConfigureAwait(false);
        }
        else if (status is null)
        {
            await WriteStatusAsync(new TimerStatus(default, timer.Schedule.NextAfter(now), now), stoppingToken).ConfigureAwait(false);
        }

        var cursor = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            // A timer may wake a little before the occurrence it waited for; counting from the last occurrence run,
            // not only from "now", keeps that occurrence from firing twice.
            now = time.GetUtcNow().UtcDateTime;
            var next = timer.Schedule.NextAfter(cursor > now ? cursor : now);
            cursor = next;
            await Task.Delay(next - now, time, stoppingToken).ConfigureAwait(false);
            var late = time.GetUtcNow().UtcDateTime - next;
            await InvokeAsync(next, isPastDue: late > TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task InvokeAsync(DateTime occurrence, bool isPastDue, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var status = new TimerStatus(_last, timer.Schedule.NextAfter(occurrence), now);
        var info = new Dictionary<string, object?>
        {
            ["Schedule"] = new Dictionary<string, object> { ["AdjustForDST"] = false },
            ["ScheduleStatus"] = status,
            ["IsPastDue"] = isPastDue,
        };
        var request = new InvocationRequest();
        request.InputData.Add(new ParameterBinding { Name = timer.Function.Trigger.Name, Data = new TypedData { Json = JsonSerializer.Serialize(info, TimerInfoJson) } });
        LogExecuting(timer.Function.Name, timer.Schedule.Expression, isPastDue);
        try
        {
            await dispatcher.InvokeAsync(session, request, timer.Function, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FunctionInvocationException or WorkerUnavailableException)
        {
            LogFailed(ex, timer.Function.Name);
        }

        _last = occurrence;
        await WriteStatusAsync(status with { Last = occurrence }, stoppingToken).ConfigureAwait(false);
    }

    private async Task<TimerStatus?> ReadStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await statusStore.ReadAsync(timer.Function.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when ((StorageBackoff.IsStorageFailure(ex) || ex is JsonException) && !cancellationToken.IsCancellationRequested)
        {
            LogStatusUnavailable(ex, timer.Function.Name);
            return null;
        }
    }

    private async Task WriteStatusAsync(TimerStatus status, CancellationToken cancellationToken)
    {
        try
        {
            await statusStore.WriteAsync(timer.Function.Name, status, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageBackoff.IsStorageFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            LogStatusUnavailable(ex, timer.Function.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Executing timer function '{FunctionName}' (schedule {Schedule}, past due: {IsPastDue})")]
    private partial void LogExecuting(string functionName, string schedule, bool isPastDue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer function '{FunctionName}' missed its occurrence at {Due:o} while the host was down; running it now, past due")]
    private partial void LogPastDue(string functionName, DateTime due);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function '{FunctionName}' failed; it runs again at its next occurrence")]
    private partial void LogFailed(Exception exception, string functionName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The schedule status of timer function '{FunctionName}' could not be read or written; the timer runs on")]
    private partial void LogStatusUnavailable(Exception exception, string functionName);
}
