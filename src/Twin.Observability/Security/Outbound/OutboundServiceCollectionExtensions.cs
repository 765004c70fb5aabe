using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Twin.Observability.Security.Outbound;

public static class OutboundServiceCollectionExtensions
{
    /// <summary>Binds <see cref="OutboundOptions"/> and registers the resolver and the one <see cref="OutboundUrlPolicy"/>.</summary>
    public static IServiceCollection AddOutboundGuard(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<OutboundOptions>().Bind(configuration.GetSection(OutboundOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        AddPolicy(services);
        return services;
    }

    /// <summary>
    /// A named client for user-supplied URLs whose primary handler is <see cref="GuardedHttpHandler"/>. Callers add
    /// their own resilience handler on the returned builder. Without <see cref="AddOutboundGuard"/> the policy runs
    /// with no allowed hosts.
    /// </summary>
    public static IHttpClientBuilder AddGuardedHttpClient(this IServiceCollection services, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        services.AddOptions<OutboundOptions>();
        AddPolicy(services);
        return services.AddHttpClient(name)
            .ConfigurePrimaryHttpMessageHandler(sp => GuardedHttpHandler.Create(sp.GetRequiredService<OutboundUrlPolicy>()));
    }

    private static void AddPolicy(IServiceCollection services)
    {
        services.TryAddSingleton<IHostAddressResolver, DnsHostAddressResolver>();
        services.TryAddSingleton<OutboundUrlPolicy>();
    }
}
