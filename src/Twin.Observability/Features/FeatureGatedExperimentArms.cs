using Microsoft.FeatureManagement;
using Twin.Observability.Experiments;

namespace Twin.Observability.Features;

/// <summary>With <see cref="FeatureFlags.ABTesting"/> off, no chat joins a test, running or not: every chat gets the twin's own settings.</summary>
internal sealed class FeatureGatedExperimentArms(IExperimentArms inner, IFeatureManager features) : IExperimentArms
{
    public async Task<ExperimentArm?> ArmAsync(string twinId, string unitId, CancellationToken cancellationToken) =>
        await features.IsEnabledAsync(FeatureFlags.ABTesting, cancellationToken).ConfigureAwait(false)
            ? await inner.ArmAsync(twinId, unitId, cancellationToken).ConfigureAwait(false)
            : null;
}
