using Azure.Storage.Queues;
using Twin.Observability.Common;

namespace Twin.Observability.Storage;

/// <summary>Sends a message to a Storage queue, creating the queue again if it has disappeared; an outage is a <see cref="StorageUnavailableException"/>.</summary>
public static class QueueSender
{
    public static async Task SendAsync(QueueClient queue, BinaryData body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        try
        {
            await MissingResourceRetry.RunAsync(
                () => queue.SendMessageAsync(body, cancellationToken: cancellationToken),
                ct => queue.CreateIfNotExistsAsync(cancellationToken: ct),
                queue.Name,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageFailures.IsOutage(ex, cancellationToken))
        {
            throw new StorageUnavailableException($"Queue '{queue.Name}' is unavailable.", ex);
        }
    }
}
