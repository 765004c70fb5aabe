using System.Text.Json;
using Azure.Storage.Queues;
using Twin.Observability.Storage;

namespace Twin.Observability.Datasets.Export;

/// <summary>The <c>exports</c> Storage queue (camelCase JSON bodies, as the worker binds a queue trigger's POCO).</summary>
public sealed class ExportDispatcher(QueueServiceClient queues)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly QueueClient _queue = queues.GetQueueClient(StorageNames.Queues.Exports);

    public Task EnqueueAsync(ExportQueueMessage message, CancellationToken cancellationToken) =>
        QueueSender.SendAsync(_queue, new BinaryData(JsonSerializer.SerializeToUtf8Bytes(message, Json)), cancellationToken);
}
