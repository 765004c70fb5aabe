using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.FeatureManagement;

namespace Twin.Observability.Features;

/// <summary>Health lists every flag and its state (admins see the data), so a half-rolled-out deployment is visible.</summary>
internal sealed class FeatureFlagsHealthCheck(IFeatureManager features) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var states = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var flag in FeatureFlags.All)
        {
            states[flag] = await features.IsEnabledAsync(flag, cancellationToken).ConfigureAwait(false) ? "on" : "off";
        }

        var off = states.Count(s => (string)s.Value == "off");
        return HealthCheckResult.Healthy(off == 0 ? "Every feature is on." : $"{off} of {states.Count} features are off.", states);
    }
}
