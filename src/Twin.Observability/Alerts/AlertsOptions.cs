namespace Twin.Observability.Alerts;

/// <summary>The <c>Alerts</c> section.</summary>
public sealed class AlertsOptions
{
    public const string SectionName = "Alerts";

    /// <summary>The seed's setting: a generic webhook that rules without channels notify.</summary>
    public const string DefaultWebhookUrlSetting = "ALERT_WEBHOOK_URL";

    /// <summary>Signs the notifications sent to <see cref="DefaultWebhookUrlSetting"/> when set.</summary>
    public const string DefaultWebhookSecretSetting = "ALERT_WEBHOOK_SECRET";

    /// <summary>
    /// Base64 of 32 random bytes: the AES-256-GCM key that encrypts channel secrets at rest. Without it, channels take
    /// their secret from an app setting (<c>secretSetting</c>) only. In Azure, a Key Vault reference.
    /// </summary>
    public string? SecretKey { get; set; }

    public bool HasValidSecretKey()
    {
        if (string.IsNullOrEmpty(SecretKey))
        {
            return true;
        }

        var bytes = new byte[64];
        return Convert.TryFromBase64String(SecretKey, bytes, out var written) && written == 32;
    }

    /// <summary>Where the notifications' "open" link points (the dashboard's URL); none when unset.</summary>
    public Uri? DashboardUrl { get; set; }

    /// <summary>At most this many rules, so one evaluation stays well inside the timer's minute.</summary>
    public int MaxRules { get; set; } = 200;

    /// <summary>
    /// The timer evaluates a rule at most once per slot of this many seconds, so a retried or overlapping run (or a
    /// second host) skips what one already did. Match it to <c>Alerts:EvaluationSchedule</c>.
    /// </summary>
    public int EvaluationSlotSeconds { get; set; } = 60;

    /// <summary>Rules evaluated at once by one run.</summary>
    public int EvaluationConcurrency { get; set; } = 8;
}
