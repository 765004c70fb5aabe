using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Dashboard;

// In the root namespace: the composition root calls it without a using of its own.
namespace Twin.Observability;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// The dashboard's reads. They use the metrics query and the ledger store, which the metrics and chat features
    /// register; the page and its assets are served by the Functions app.
    /// </summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddSingleton<RecentTraces>();
        services.AddSingleton<DashboardService>();
        return services;
    }
}
