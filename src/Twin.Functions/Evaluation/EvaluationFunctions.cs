using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Features;
using Twin.Observability.Evaluation;
using Twin.Observability.Features;
using Twin.Observability.Storage;

namespace Twin.Functions.Evaluation;

/// <summary>
/// Evaluation (API.md "Evaluation, prompts, datasets"): the judges score every chat from the <c>evaluations</c>
/// queue. A message that keeps failing is retried by the host and lands in <c>evaluations-poison</c>.
/// </summary>
[FeatureGate(FeatureFlags.Evaluation)]
public sealed class EvaluationFunctions(EvaluationService evaluations)
{
    [Function("EvaluateChat")]
    public Task EvaluateChat([QueueTrigger(StorageNames.Queues.Evaluations)] EvaluationRequest request, CancellationToken cancellationToken) =>
        evaluations.EvaluateAsync(request, cancellationToken);
}
