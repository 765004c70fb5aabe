using Azure;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Twin.LocalHost.Invocation;
using Twin.LocalHost.Worker;

namespace Twin.LocalHost.Queues;

/// <summary>
/// Polls one queue for a queue-triggered function with the Functions host's semantics: messages are received in
/// batches and hidden while they run; success deletes the message; failure makes it visible again after
/// <c>visibilityTimeout</c>; a message that has failed <c>maxDequeueCount</c> times moves to <c>&lt;queue&gt;-poison</c>.
/// An empty queue is polled less and less often, up to <c>maxPollingInterval</c>. Storage being unreachable or the
/// queue vanishing is logged and waited out with the same back-off; a message whose pop receipt went stale meanwhile
/// is simply received again.
/// </summary>
public sealed partial class QueueTriggerListener(
    QueueFunction queue,
    InvocationDispatcher dispatcher,
    WorkerSession session,
    ILogger<QueueTriggerListener> logger)
{
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    // While a message runs it stays hidden for this long (the host renews it; local runs are short).
    private static readonly TimeSpan InvisibleWhileRunning = TimeSpan.FromMinutes(10);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var settings = queue.Settings;
        var maxDelay = TimeSpan.FromTicks(Math.Max(settings.MaxPollingInterval.Ticks, MinPollingInterval.Ticks));
        var delay = MinPollingInterval;
        var created = false;
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                if (!created)
                {
                    await queue.Queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                    created = true;
                }

                messages = (await queue.Queue.ReceiveMessagesAsync(settings.BatchSize, InvisibleWhileRunning, stoppingToken).ConfigureAwait(false)).Value;
                if (failing)
                {
                    failing = false;
                    LogPollResumed(queue.Queue.Name);
                }
            }
            catch (Exception ex) when (IsStorageFailure(ex) && !stoppingToken.IsCancellationRequested)
            {
                if (!failing)
                {
                    failing = true;
                    LogPollFailed(ex, queue.Queue.Name);
                }

                // A queue deleted while the host ran (or storage reset) is made again when storage answers.
                created = !(ex is RequestFailedException { ErrorCode: "QueueNotFound" });
                messages = [];
            }

            if (messages.Length == 0)
            {
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxDelay.Ticks));
                continue;
            }

            delay = MinPollingInterval;
            await Task.WhenAll(messages.Select(m => ProcessAsync(m, stoppingToken))).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        var settings = queue.Settings;
        var function = queue.Function;
        try
        {
            if (message.DequeueCount > settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message, stoppingToken).ConfigureAwait(false);
                return;
            }

            try
            {
                await dispatcher.InvokeAsync(session, QueueInvocation.For(function, message), function, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is FunctionInvocationException or WorkerUnavailableException)
            {
                LogFailed(ex, function.Name, message.MessageId, message.DequeueCount);
                if (message.DequeueCount >= settings.MaxDequeueCount)
                {
                    await MoveToPoisonAsync(message, stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    await queue.Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: stoppingToken).ConfigureAwait(false);
                }

                return;
            }

            await queue.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStorageFailure(ex) && !stoppingToken.IsCancellationRequested)
        {
            // The message stays where it is: it becomes visible again when its invisibility ends and is received again.
            LogSettleFailed(ex, function.Name, message.MessageId);
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await queue.PoisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await queue.PoisonQueue.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        await queue.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        LogPoisoned(message.MessageId, queue.PoisonQueue.Name, message.DequeueCount);
    }

    // What an unreachable or reset storage account throws: the SDK's failure, its retries' AggregateException, or the
    // transport's own when a connection is refused mid-request.
    private static bool IsStorageFailure(Exception ex) =>
        ex is RequestFailedException or AggregateException or HttpRequestException or IOException
        || ex is OperationCanceledException { InnerException: TimeoutException };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not poll queue '{Queue}'; retrying with back-off until storage answers")]
    private partial void LogPollFailed(Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling queue '{Queue}' again")]
    private partial void LogPollResumed(string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue function '{FunctionName}': message {MessageId} could not be settled; it is received again when it becomes visible")]
    private partial void LogSettleFailed(Exception exception, string functionName, string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue function '{FunctionName}' failed on message {MessageId} (dequeue count {DequeueCount})")]
    private partial void LogFailed(Exception exception, string functionName, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} moved to '{PoisonQueue}' after {DequeueCount} attempts")]
    private partial void LogPoisoned(string messageId, string poisonQueue, long dequeueCount);
}
