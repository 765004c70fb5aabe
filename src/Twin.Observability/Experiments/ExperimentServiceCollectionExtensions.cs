using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Storage;

namespace Twin.Observability.Experiments;

public static class ExperimentServiceCollectionExtensions
{
    /// <summary>A/B testing: the <c>Experiments</c> table, the running-test cache the chats read, and the service.</summary>
    public static IServiceCollection AddExperiments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExperimentOptions>().Bind(configuration.GetSection(ExperimentOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddStorageResources(tables: [StorageNames.Tables.Experiments]);
        services.AddSingleton<ExperimentStore>();
        services.AddSingleton<RunningExperiments>();
        services.AddSingleton<IExperimentArms>(sp => sp.GetRequiredService<RunningExperiments>());
        services.AddSingleton<ExperimentService>();
        return services;
    }
}
