using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twin.LocalHost.Invocation;

namespace Twin.LocalHost.Timers;

/// <summary>
/// Runs one timer-triggered function on its schedule. Like the host's timer listener it runs once at start when
/// <c>runOnStartup</c> is set, never overlaps an invocation still running with the next one, and keeps going after a
/// failed invocation (the next run is the next occurrence).
/// </summary>
internal sealed partial class TimerTriggerListener(
    LocalFunction function,
    TimerSchedule schedule,
    IServiceProvider services,
    TimeProvider time,
    ILogger<TimerTriggerListener> logger) : BackgroundService
{
    private DateTime _last;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (function.Trigger.RunOnStartup)
        {
            await InvokeAsync(time.GetUtcNow().UtcDateTime, isPastDue: false, stoppingToken).ConfigureAwait(false);
        }

        var cursor = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            // A timer may wake a little before the occurrence it waited for; counting from the last occurrence run,
            // not only from "now", keeps that occurrence from firing twice.
            var now = time.GetUtcNow().UtcDateTime;
            var next = schedule.NextAfter(cursor > now ? cursor : now);
            cursor = next;
            await Task.Delay(next - now, time, stoppingToken).ConfigureAwait(false);
            var late = time.GetUtcNow().UtcDateTime - next;
            await InvokeAsync(next, isPastDue: late > TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task InvokeAsync(DateTime scheduled, bool isPastDue, CancellationToken stoppingToken)
    {
        var info = new TimerInfo
        {
            IsPastDue = isPastDue,
            ScheduleStatus = new ScheduleStatus { Last = _last, Next = schedule.NextAfter(scheduled), LastUpdated = time.GetUtcNow().UtcDateTime },
        };
        LogExecuting(function.Name, schedule.Expression);
        try
        {
            await FunctionInvoker.InvokeAsync(function, services, (p, _) =>
                p.ParameterType == typeof(TimerInfo) ? info
                : p.ParameterType == typeof(CancellationToken) ? stoppingToken
                : throw new InvalidOperationException($"Timer function '{function.Name}': cannot bind parameter '{p.Name}'.")).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogFailed(ex, function.Name);
        }

        _last = scheduled;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Executing timer function '{FunctionName}' (schedule {Schedule})")]
    private partial void LogExecuting(string functionName, string schedule);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function '{FunctionName}' failed; it runs again at its next occurrence")]
    private partial void LogFailed(Exception exception, string functionName);
}
