using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Twin.Observability.Common;
using Twin.Observability.Security.Outbound;
using Twin.Observability.Storage;

namespace Twin.Observability.Monitoring;

public static class MonitoringServiceCollectionExtensions
{
    /// <summary>Synthetic checks (needs <c>AddOutboundGuard</c>): stores, runner (the app's own client and the SSRF-guarded one for URL checks) and service.</summary>
    public static IServiceCollection AddSyntheticMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MonitoringOptions>()
            .Bind(configuration.GetSection(MonitoringOptions.SectionName))
            .Validate(o => o.IsValid(), $"{MonitoringOptions.SectionName}: MaxConcurrency must be 1–32, MaxChecks 1–1000 and BaseUrl absolute.")
            .ValidateOnStart();
        services.AddStorageResources(tables: [StorageNames.Tables.MonitorChecks, StorageNames.Tables.MonitorResults, StorageNames.Tables.MonitorDays, StorageNames.Tables.Settings]);
        services.AddHttpClient(SyntheticCheckRunner.SelfClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddGuardedHttpClient(SyntheticCheckRunner.UrlClientName).ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton<PersistedSwitchStore>();
        services.AddSingleton<MonitorCheckStore>();
        services.AddSingleton<MonitorResultStore>();
        services.AddSingleton<MonitorCheckValidator>();
        services.AddSingleton<MonitorStatusReader>();
        services.AddSingleton<SyntheticCheckRunner>();
        services.AddSingleton<MonitoringService>();
        return services;
    }
}
