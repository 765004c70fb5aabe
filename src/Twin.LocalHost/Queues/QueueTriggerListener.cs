using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twin.LocalHost.Invocation;
using Twin.LocalHost.Metadata;

namespace Twin.LocalHost.Queues;

/// <summary>
/// Polls one queue for a queue-triggered function with the Functions host's semantics: messages are received in
/// batches and hidden while they run; success deletes the message; failure makes it visible again after
/// <c>visibilityTimeout</c>; a message that has failed <c>maxDequeueCount</c> times moves to <c>&lt;queue&gt;-poison</c>.
/// An empty queue is polled less and less often, up to <c>maxPollingInterval</c>.
/// </summary>
internal sealed partial class QueueTriggerListener(
    LocalFunction function,
    QueueClient queue,
    QueueClient poisonQueue,
    QueueSettings settings,
    IServiceProvider services,
    ILogger<QueueTriggerListener> logger) : BackgroundService
{
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    // While a message runs it stays hidden for this long (the host renews it; local runs are short).
    private static readonly TimeSpan InvisibleWhileRunning = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
        var delay = MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(settings.BatchSize, InvisibleWhileRunning, stoppingToken).ConfigureAwait(false)).Value;
            }
            catch (Azure.RequestFailedException ex)
            {
                LogPollFailed(ex, queue.Name);
                messages = [];
            }

            if (messages.Length == 0)
            {
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Math.Max(settings.MaxPollingInterval.Ticks, MinPollingInterval.Ticks)));
                continue;
            }

            delay = MinPollingInterval;
            await Task.WhenAll(messages.Select(m => ProcessAsync(m, stoppingToken))).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        if (message.DequeueCount > settings.MaxDequeueCount)
        {
            await MoveToPoisonAsync(message, stoppingToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await FunctionInvoker.InvokeAsync(function, services, (p, _) => QueueMessageBinder.Bind(p, message, function.Trigger.Name, stoppingToken)).ConfigureAwait(false);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(ex, function.Name, message.MessageId, message.DequeueCount);
            if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message, stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await poisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await poisonQueue.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        LogPoisoned(message.MessageId, poisonQueue.Name, message.DequeueCount);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not poll queue '{Queue}'; retrying")]
    private partial void LogPollFailed(Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue function '{FunctionName}' failed on message {MessageId} (dequeue count {DequeueCount})")]
    private partial void LogFailed(Exception exception, string functionName, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} moved to '{PoisonQueue}' after {DequeueCount} attempts")]
    private partial void LogPoisoned(string messageId, string poisonQueue, long dequeueCount);
}
