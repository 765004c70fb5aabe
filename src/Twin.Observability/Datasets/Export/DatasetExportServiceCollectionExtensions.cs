using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Storage;

namespace Twin.Observability.Datasets.Export;

public static class DatasetExportServiceCollectionExtensions
{
    /// <summary>Dataset export: the <c>exports</c> container, queue and job table, the exporter, its links and stats.</summary>
    public static IServiceCollection AddDatasetExport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExportOptions>().Bind(configuration.GetSection(ExportOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddStorageResources(
            tables: [StorageNames.Tables.ExportJobs],
            containers: [StorageNames.Containers.Exports],
            queues: [StorageNames.Queues.Exports]);
        services.AddSingleton<ExportPlanner>();
        services.AddSingleton<BlobExportTarget>();
        services.AddSingleton<ExportLinks>();
        services.AddSingleton<ExportJobStore>();
        services.AddSingleton<ExportDispatcher>();
        services.AddSingleton<DatasetExporter>();
        services.AddSingleton<DatasetStatsBuilder>();
        services.AddSingleton<ExportWorker>();
        services.AddSingleton<DatasetExportService>();
        return services;
    }
}
