using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Twin.Observability.Health;

/// <summary>Shapes the health checks' result for <c>GET /api/health</c>: a recent snapshot for anyone, a fresh run for admins.</summary>
public sealed class HealthReporter(HealthSnapshot snapshot)
{
    /// <summary>
    /// The overall status and each component's; with <paramref name="includeDetails"/> also each component's
    /// description and data (endpoints, model names, which resources are missing), which only admins may see. Admins get
    /// a fresh run; anyone else the <see cref="HealthSnapshot"/>, at most <see cref="HealthSnapshot.MaxAge"/> old.
    /// </summary>
    public async Task<HealthSummary> CheckAsync(bool includeDetails, CancellationToken cancellationToken)
    {
        var report = includeDetails
            ? await snapshot.FreshAsync(cancellationToken).ConfigureAwait(false)
            : await snapshot.RecentAsync(cancellationToken).ConfigureAwait(false);
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
