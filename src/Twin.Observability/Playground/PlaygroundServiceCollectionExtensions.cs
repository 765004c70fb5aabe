using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Twin.Observability.Playground;

public static class PlaygroundServiceCollectionExtensions
{
    /// <summary>The prompt playground: its options (<c>Playground</c> section), the cell runner and the service.</summary>
    public static IServiceCollection AddPlayground(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PlaygroundOptions>().Bind(configuration.GetSection(PlaygroundOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PlaygroundRunner>();
        services.AddSingleton<PlaygroundService>();
        return services;
    }
}
