using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Alerts;

/// <summary>
/// Sends one notification to every channel of a rule at once (a rule without channels uses <c>ALERT_WEBHOOK_URL</c>,
/// the seed's setting, when it is set) and returns a history entry per channel. Each send is on its own: a channel
/// that fails, hangs to its timeout or has an unreadable secret never holds back the others.
/// </summary>
public sealed class AlertNotifier(IAlertSender sender, AlertSecretProtector secrets, IOptions<AlertsOptions> options, IConfiguration configuration)
{
    public async Task<IReadOnlyList<AlertHistoryEntry>> NotifyAsync(AlertRule rule, AlertNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(notification);
        var channels = rule.StoredChannels.Count > 0 ? rule.StoredChannels : DefaultChannel();
        return await Task.WhenAll(channels.Select(c => SendAsync(rule, c, notification, cancellationToken))).ConfigureAwait(false);
    }

    public Uri? DashboardUrl => options.Value.DashboardUrl;

    private IReadOnlyList<StoredAlertChannel> DefaultChannel() =>
        configuration[AlertsOptions.DefaultWebhookUrlSetting] is { Length: > 0 } url
            ? [new StoredAlertChannel("webhook", url, null, configuration[AlertsOptions.DefaultWebhookSecretSetting] is { Length: > 0 } ? AlertsOptions.DefaultWebhookSecretSetting : null)]
            : [];

    private async Task<AlertHistoryEntry> SendAsync(AlertRule rule, StoredAlertChannel channel, AlertNotification notification, CancellationToken cancellationToken)
    {
        var entry = new AlertHistoryEntry
        {
            Id = AlertHistoryStore.NewId(notification.At),
            At = notification.At,
            Kind = "notification",
            RuleId = rule.Id,
            RuleName = rule.Name,
            Event = notification.Kind.ToString().ToLowerInvariant(),
            NotificationId = notification.NotificationId,
            Channel = channel.Type,
            Target = StoredAlertChannel.Redact(channel.Url),
            Value = notification.Value,
            Threshold = notification.Threshold,
        };

        string? secret;
        try
        {
            secret = secrets.Reveal(channel);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            return entry with { Delivered = false, Attempts = 0, Detail = ex.Message };
        }

        if (!Uri.TryCreate(channel.Url, UriKind.Absolute, out var url))
        {
            return entry with { Delivered = false, Attempts = 0, Detail = "The channel's URL is not an absolute URL." };
        }

        var type = channel.ChannelType;
        var result = await sender.SendAsync(
            new AlertDelivery(type, url, type == AlertChannelType.PagerDuty ? null : secret, type == AlertChannelType.PagerDuty ? secret : null),
            notification,
            cancellationToken).ConfigureAwait(false);
        return entry with { Delivered = result.Delivered, Attempts = result.Attempts, StatusCode = result.StatusCode, Detail = result.Error };
    }
}
