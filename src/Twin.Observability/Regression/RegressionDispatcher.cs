using Azure.Storage.Queues;
using Twin.Observability.Storage;

namespace Twin.Observability.Regression;

/// <summary>The <c>regression-runs</c> Storage queue (camelCase JSON bodies, as the worker binds a queue trigger's POCO); created again if it has disappeared.</summary>
public sealed class RegressionDispatcher(QueueServiceClient queues)
{
    private readonly QueueClient _queue = queues.GetQueueClient(StorageNames.Queues.RegressionRuns);

    public Task EnqueueAsync(RegressionMessage message, CancellationToken cancellationToken) =>
        QueueSender.SendJsonAsync(_queue, message, cancellationToken);
}
