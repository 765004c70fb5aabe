using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;

namespace Twin.Observability.Features;

public static class FeatureServiceCollectionExtensions
{
    /// <summary>
    /// Microsoft.FeatureManagement over the app's configuration, with the rollout's flags on unless switched off
    /// (<see cref="DefaultOnFeatureDefinitionProvider"/>), and health listing them.
    /// </summary>
    public static IServiceCollection AddTwinFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        // Before AddFeatureManagement, which only adds its own provider when none is registered.
        services.AddSingleton<IFeatureDefinitionProvider>(new DefaultOnFeatureDefinitionProvider(configuration));
        services.AddFeatureManagement();
        services.AddHealthChecks().AddCheck<FeatureFlagsHealthCheck>("features");
        return services;
    }
}
