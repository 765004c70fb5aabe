using System.Text.Json;
using Azure.Storage.Queues;
using Twin.Observability.Common;

namespace Twin.Observability.Storage;

/// <summary>Sends a message to a Storage queue, creating the queue again if it has disappeared; an outage is a <see cref="StorageUnavailableException"/>.</summary>
public static class QueueSender
{
    // camelCase, as the worker binds a queue trigger's POCO.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Sends <paramref name="message"/> as a camelCase JSON body.</summary>
    public static Task SendJsonAsync<T>(QueueClient queue, T message, CancellationToken cancellationToken) =>
        SendAsync(queue, new BinaryData(JsonSerializer.SerializeToUtf8Bytes(message, Json)), cancellationToken);

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
