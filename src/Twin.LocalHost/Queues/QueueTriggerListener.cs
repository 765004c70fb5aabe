using Azure;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;
using Twin.LocalHost.Invocation;
using Twin.LocalHost.Triggers;
using Twin.LocalHost.Worker;

namespace Twin.LocalHost.Queues;

/// <summary>
/// Polls one queue for a queue-triggered function with the Functions host's semantics: messages are received in
/// batches and hidden while they run; success deletes the message; failure makes it visible again after
/// <c>visibilityTimeout</c>; a message that has failed <c>maxDequeueCount</c> times moves to <c>&lt;queue&gt;-poison</c>.
/// An empty queue is polled less and less often, up to <c>maxPollingInterval</c>. Storage being unreachable or the
/// queue vanishing is logged and waited out with the same back-off (<see cref="StorageBackoff"/>), for polling and for
/// settling a message that ran meanwhile; a message whose pop receipt went stale is simply received again.
/// </summary>
public sealed partial class QueueTriggerListener
{
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    // While a message runs it stays hidden for this long (the host renews it; local runs are short). Settling is
    // retried no longer: after it the pop receipt is stale and the message is received again anyway.
    private static readonly TimeSpan InvisibleWhileRunning = TimeSpan.FromMinutes(10);

    private readonly QueueFunction _queue;
    private readonly InvocationDispatcher _dispatcher;
    private readonly WorkerSession _session;
    private readonly ILogger<QueueTriggerListener> _logger;
    private readonly TimeSpan _maxDelay;
    private readonly ResiliencePipeline _poll;
    private bool _created;
    private bool _failing;

    public QueueTriggerListener(QueueFunction queue, InvocationDispatcher dispatcher, WorkerSession session, ILogger<QueueTriggerListener> logger)
    {
        _queue = queue;
        _dispatcher = dispatcher;
        _session = session;
        _logger = logger;
        _maxDelay = TimeSpan.FromTicks(Math.Max(queue.Settings.MaxPollingInterval.Ticks, MinPollingInterval.Ticks));
        _poll = StorageBackoff.Build(MinPollingInterval, _maxDelay, StorageBackoff.IsStorageFailure, OnPollFailed);
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var delay = MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            var messages = await _poll.ExecuteAsync(ReceiveAsync, stoppingToken).ConfigureAwait(false);
            if (_failing)
            {
                _failing = false;
                LogPollResumed(_queue.Queue.Name);
            }

            if (messages.Length == 0)
            {
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _maxDelay.Ticks));
                continue;
            }

            delay = MinPollingInterval;
            await Task.WhenAll(messages.Select(m => ProcessAsync(m, stoppingToken))).ConfigureAwait(false);
        }
    }

    private async ValueTask<QueueMessage[]> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _queue.Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _created = true;
        }

        return (await _queue.Queue.ReceiveMessagesAsync(_queue.Settings.BatchSize, InvisibleWhileRunning, cancellationToken).ConfigureAwait(false)).Value;
    }

    private void OnPollFailed(Exception ex, int attempt)
    {
        // A queue deleted while the host ran (or storage reset) is made again when storage answers.
        if (ex is RequestFailedException { ErrorCode: "QueueNotFound" })
        {
            _created = false;
        }

        if (!_failing)
        {
            _failing = true;
            LogPollFailed(ex, _queue.Queue.Name);
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        var settings = _queue.Settings;
        var function = _queue.Function;
        if (message.DequeueCount > settings.MaxDequeueCount)
        {
            await SettleAsync(message, ct => MoveToPoisonAsync(message, ct), stoppingToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await _dispatcher.InvokeAsync(_session, QueueInvocation.For(function, message), function, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FunctionInvocationException or WorkerUnavailableException)
        {
            LogFailed(ex, function.Name, message.MessageId, message.DequeueCount);
            await SettleAsync(
                message,
                message.DequeueCount >= settings.MaxDequeueCount
                    ? ct => MoveToPoisonAsync(message, ct)
                    : async ct => await _queue.Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: ct).ConfigureAwait(false),
                stoppingToken).ConfigureAwait(false);
            return;
        }

        await SettleAsync(message, async ct => await _queue.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
    }

    // Settling waits for storage to come back rather than leaving a finished message hidden for the rest of its
    // invisibility; an answer that the receipt is stale (the message or queue gone, or received again) ends it.
    private async Task SettleAsync(QueueMessage message, Func<CancellationToken, Task> settle, CancellationToken stoppingToken)
    {
        var logged = false;
        var pipeline = StorageBackoff.Build(MinPollingInterval, _maxDelay, ex => StorageBackoff.IsStorageFailure(ex) && !IsStale(ex), (ex, _) =>
        {
            if (!logged)
            {
                logged = true;
                LogSettleRetrying(ex, _queue.Function.Name, message.MessageId);
            }
        }, InvisibleWhileRunning);
        try
        {
            await pipeline.ExecuteAsync(async ct => await settle(ct).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
            if (logged)
            {
                LogSettled(_queue.Function.Name, message.MessageId);
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested && (ex is TimeoutRejectedException || StorageBackoff.IsStorageFailure(ex)))
        {
            // The message stays where it is: it becomes visible again when its invisibility ends and is received again.
            LogSettleFailed(ex, _queue.Function.Name, message.MessageId);
        }
    }

    private static bool IsStale(Exception ex) =>
        ex is RequestFailedException { Status: 404 } or RequestFailedException { ErrorCode: "PopReceiptMismatch" };

    // Retried whole when storage fails: a send that landed before the failure may leave the poison queue a copy more,
    // which is the at-least-once delivery every queue consumer already has.
    private async Task MoveToPoisonAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var poison = _queue.PoisonQueue;
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _queue.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        LogPoisoned(message.MessageId, poison.Name, message.DequeueCount);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not poll queue '{Queue}'; retrying with back-off until storage answers")]
    private partial void LogPollFailed(Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling queue '{Queue}' again")]
    private partial void LogPollResumed(string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue function '{FunctionName}': message {MessageId} could not be settled; retrying with back-off until storage answers")]
    private partial void LogSettleRetrying(Exception exception, string functionName, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue function '{FunctionName}': message {MessageId} settled once storage answered")]
    private partial void LogSettled(string functionName, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue function '{FunctionName}': message {MessageId} could not be settled; it is received again when it becomes visible")]
    private partial void LogSettleFailed(Exception exception, string functionName, string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue function '{FunctionName}' failed on message {MessageId} (dequeue count {DequeueCount})")]
    private partial void LogFailed(Exception exception, string functionName, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} moved to '{PoisonQueue}' after {DequeueCount} attempts")]
    private partial void LogPoisoned(string messageId, string poisonQueue, long dequeueCount);
}
