using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Twin.Observability.Alerts.Channels;
using Twin.Observability.Common;
using Twin.Observability.Security.Outbound;
using Twin.Observability.Storage;

namespace Twin.Observability.Alerts;

public static class AlertsServiceCollectionExtensions
{
    /// <summary>Alert rules (needs <c>AddOutboundGuard</c> and <c>AddSyntheticMonitoring</c>), states, history, the evaluator's services and the channels' guarded HTTP client.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlertsOptions>()
            .Bind(configuration.GetSection(AlertsOptions.SectionName))
            .Validate(o => o.HasValidSecretKey(), $"{AlertsOptions.SectionName}:SecretKey must be the base64 of 32 bytes (openssl rand -base64 32).")
            .Validate(
                o => o.MaxRules is >= 1 and <= 10_000 && o.EvaluationConcurrency is >= 1 and <= 64 && o.EvaluationSlotSeconds is >= 1 and <= 3600,
                $"{AlertsOptions.SectionName}: MaxRules must be 1–10000, EvaluationConcurrency 1–64 and EvaluationSlotSeconds 1–3600.")
            .ValidateOnStart();
        services.AddStorageResources(tables: [StorageNames.Tables.AlertRules, StorageNames.Tables.AlertStates, StorageNames.Tables.AlertHistory, StorageNames.Tables.Settings]);
        services.AddAlertChannels(configuration);
        // No factory logging: it writes request paths, and a Slack webhook's token is in its path.
        services.AddGuardedHttpClient(AlertSender.HttpClientName).AddAlertResilience().RemoveAllLoggers();
        services.TryAddSingleton<PersistedSwitchStore>();
        services.AddSingleton<AlertSecretProtector>();
        services.AddSingleton<AlertRuleStore>();
        services.AddSingleton<AlertStateStore>();
        services.AddSingleton<AlertHistoryStore>();
        services.AddSingleton<AlertRuleValidator>();
        services.AddSingleton<AlertMetricReader>();
        services.AddSingleton<AlertNotifier>();
        services.AddSingleton<AlertService>();
        return services;
    }
}
