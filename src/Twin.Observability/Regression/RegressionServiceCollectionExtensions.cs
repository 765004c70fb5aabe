using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Storage;

namespace Twin.Observability.Regression;

public static class RegressionServiceCollectionExtensions
{
    /// <summary>Regression runs: stores, the <c>regression-runs</c> queue, the item runner, reports and the service.</summary>
    public static IServiceCollection AddRegression(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RegressionOptions>()
            .Bind(configuration.GetSection(RegressionOptions.SectionName))
            .Validate(o => o.IsValid(), $"{RegressionOptions.SectionName}: Alpha must be in (0, 1), MinPairs 1–10000, MaxItems 1–100000 and every tolerance 0 or more.")
            .ValidateOnStart();
        services.AddStorageResources(
            tables: [StorageNames.Tables.RegressionRuns, StorageNames.Tables.RegressionResults, StorageNames.Tables.RegressionBaselines],
            queues: [StorageNames.Queues.RegressionRuns]);
        services.AddSingleton<RegressionStore>();
        services.AddSingleton<RegressionBaselineStore>();
        services.AddSingleton<RegressionDispatcher>();
        services.AddSingleton<LangfuseRunLinker>();
        services.AddSingleton<RegressionItemRunner>();
        services.AddSingleton<RegressionReportBuilder>();
        services.AddSingleton<RegressionWorker>();
        services.AddSingleton<RegressionService>();
        return services;
    }
}
