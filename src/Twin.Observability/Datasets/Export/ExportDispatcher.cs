using Azure.Storage.Queues;
using Twin.Observability.Storage;

namespace Twin.Observability.Datasets.Export;

/// <summary>The <c>exports</c> Storage queue (camelCase JSON bodies, as the worker binds a queue trigger's POCO).</summary>
public sealed class ExportDispatcher(QueueServiceClient queues)
{
    private readonly QueueClient _queue = queues.GetQueueClient(StorageNames.Queues.Exports);

    public Task EnqueueAsync(ExportQueueMessage message, CancellationToken cancellationToken) =>
        QueueSender.SendJsonAsync(_queue, message, cancellationToken);
}
