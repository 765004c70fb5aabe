using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Twin.Observability.Alerts.Channels;

public static class AlertChannelsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AlertsSendOptions"/> (section <c>Alerts:Send</c>; defaults 3 attempts, 10 s each, back-off
    /// from 500 ms, Retry-After capped at 30 s; validated at start) and <see cref="AlertSender"/> as the singleton
    /// <see cref="IAlertSender"/>. It does not register the HTTP client named <see cref="AlertSender.HttpClientName"/>:
    /// the caller does, with its SSRF-guarded primary handler, and adds
    /// <see cref="AlertResilienceHttpClientBuilderExtensions.AddAlertResilience"/> to it.
    /// </summary>
    public static IServiceCollection AddAlertChannels(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AlertsSendOptions>().Bind(configuration.GetSection(AlertsSendOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient();
        services.AddSingleton<IAlertSender, AlertSender>();
        return services;
    }
}
