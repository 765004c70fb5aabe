using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Twin.Observability.Health;

/// <summary>Runs the registered health checks and shapes the result for <c>GET /api/health</c>.</summary>
public sealed class HealthReporter(HealthCheckService checks)
{
    public async Task<HealthSummary> CheckAsync(CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return new HealthSummary(
            Name(report.Status),
            report.Entries.ToDictionary(
                e => e.Key,
                e => new HealthComponent(Name(e.Value.Status), e.Value.Description, e.Value.Data)));
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
