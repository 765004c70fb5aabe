using Azure.Storage.Queues;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Evaluation;

/// <summary>The <c>evaluations</c> Storage queue; created again if it has disappeared.</summary>
public sealed class QueueEvaluationDispatcher(QueueServiceClient queues) : IEvaluationDispatcher
{
    private readonly QueueClient _queue = queues.GetQueueClient(StorageNames.Queues.Evaluations);

    public async Task EnqueueAsync(EvaluationRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await MissingResourceRetry.RunAsync(
                () => _queue.SendMessageAsync(new BinaryData(EvaluationMessageCodec.Encode(request)), cancellationToken: cancellationToken),
                ct => _queue.CreateIfNotExistsAsync(cancellationToken: ct),
                _queue.Name,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageFailures.IsOutage(ex, cancellationToken))
        {
            throw new StorageUnavailableException($"Queue '{_queue.Name}' is unavailable.", ex);
        }
    }
}
