using Azure.Storage.Queues;
using Twin.Observability.Storage;

namespace Twin.Observability.Evaluation;

/// <summary>The <c>evaluations</c> Storage queue; created again if it has disappeared.</summary>
public sealed class QueueEvaluationDispatcher(QueueServiceClient queues) : IEvaluationDispatcher
{
    private readonly QueueClient _queue = queues.GetQueueClient(StorageNames.Queues.Evaluations);

    public Task EnqueueAsync(EvaluationRequest request, CancellationToken cancellationToken) =>
        QueueSender.SendAsync(_queue, new BinaryData(EvaluationMessageCodec.Encode(request)), cancellationToken);
}
