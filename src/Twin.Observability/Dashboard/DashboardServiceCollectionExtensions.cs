using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Dashboard;

// In the root namespace: the composition root calls it without a using of its own.
namespace Twin.Observability;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// The dashboard's reads and its live stream. They use the metrics query, the ledger store and the alert stores,
    /// which the metrics, chat and alerts features register; the page and its assets are served by the Functions app.
    /// </summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RecentTraces>();
        services.AddSingleton<DashboardService>();
        services.AddSingleton<DashboardStreamReader>();
        services.AddSingleton<DashboardEvents>();
        return services;
    }
}
