using Twin.Observability.Alerts;
using Twin.Observability.Metrics;

namespace Twin.Observability.Dashboard;

/// <summary>The dashboard's JSON reads (API.md "Dashboard"): headline numbers, recent chats, active alerts.</summary>
public sealed class DashboardService(MetricsQuery metrics, RecentTraces recent, AlertService alerts)
{
    /// <summary>The headline numbers over <paramref name="range"/> and over the period of the same length before it.</summary>
    public async Task<OverviewReport> OverviewAsync(MetricsRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var current = metrics.QueryAsync(range, cancellationToken);
        var previous = metrics.QueryAsync(range.Previous(), cancellationToken);
        await Task.WhenAll(current, previous).ConfigureAwait(false);
        return OverviewReport.Of(
            MetricsReports.Dashboard(await current.ConfigureAwait(false)),
            MetricsReports.Dashboard(await previous.ConfigureAwait(false)));
    }

    public Task<RecentTracesReport> RecentTracesAsync(RecentTracesQuery query, CancellationToken cancellationToken) =>
        recent.ReadAsync(query, cancellationToken);

    public Task<ActiveAlerts> ActiveAlertsAsync(CancellationToken cancellationToken) => alerts.ActiveAsync(cancellationToken);
}
