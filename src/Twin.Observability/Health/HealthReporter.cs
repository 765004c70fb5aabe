using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Twin.Observability.Health;

/// <summary>Runs the registered health checks and shapes the result for <c>GET /api/health</c>.</summary>
public sealed class HealthReporter(HealthCheckService checks)
{
    /// <summary>
    /// The overall status and each component's; with <paramref name="includeDetails"/> also each component's
    /// description and data (endpoints, model names, which resources are missing), which only admins may see.
    /// </summary>
    public async Task<HealthSummary> CheckAsync(bool includeDetails, CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return new HealthSummary(
            Name(report.Status),
            report.Entries.ToDictionary(
                e => e.Key,
                e => includeDetails
                    ? new HealthComponent(Name(e.Value.Status), e.Value.Description, e.Value.Data)
                    : new HealthComponent(Name(e.Value.Status), null, null)));
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
