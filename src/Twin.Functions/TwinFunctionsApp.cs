using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Twin.Functions.Chat;
using Twin.Functions.Http;
using Twin.Observability;

namespace Twin.Functions;

public static class TwinFunctionsApp
{
    /// <summary>
    /// Everything the functions need: the app's logic (<see cref="TwinObservabilityServiceCollectionExtensions.AddTwinObservability"/>)
    /// plus the HTTP adapters. Called by <c>Program.cs</c> and by the local host, and by nothing else.
    /// </summary>
    public static IServiceCollection AddTwinFunctionsApp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTwinObservability(configuration);

        services.AddSingleton<RequestAuthorizer>();
        services.AddSingleton<ApiHandler>();
        services.AddOptions<ForwardingOptions>().Bind(configuration.GetSection(ForwardingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ForwardedForCounts>();
        services.AddHealthChecks().AddCheck<ForwardingHealthCheck>("forwarding");
        services.AddSingleton<ChatHttp>();
        return services;
    }
}
