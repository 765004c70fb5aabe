using Microsoft.FeatureManagement;
using Twin.Observability.Evaluation;

namespace Twin.Observability.Features;

/// <summary>With <see cref="FeatureFlags.Evaluation"/> off, a chat queues no evaluation: no work for a feature that is off.</summary>
internal sealed class FeatureGatedEvaluationDispatcher(IEvaluationDispatcher inner, IFeatureManager features) : IEvaluationDispatcher
{
    public async Task EnqueueAsync(EvaluationRequest request, CancellationToken cancellationToken)
    {
        if (await features.IsEnabledAsync(FeatureFlags.Evaluation, cancellationToken).ConfigureAwait(false))
        {
            await inner.EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
