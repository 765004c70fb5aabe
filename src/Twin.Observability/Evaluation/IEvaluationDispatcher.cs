namespace Twin.Observability.Evaluation;

/// <summary>Where chats leave their turn to be judged; the queue-triggered evaluation function reads it.</summary>
public interface IEvaluationDispatcher
{
    Task EnqueueAsync(EvaluationRequest request, CancellationToken cancellationToken);
}
