using System.Text.RegularExpressions;
using Twin.Observability.Common;
using Twin.Observability.Security.Outbound;
using Twin.Observability.Storage;

namespace Twin.Observability.Alerts;

/// <summary>
/// Checks a rule request and fills its defaults, reporting every invalid field at once (400 with <c>errors</c>).
/// Channel URLs go through the outbound policy (https, no private addresses) when saved; the sender checks the
/// address again when it connects.
/// </summary>
public sealed partial class AlertRuleValidator(OutboundUrlPolicy urls, AlertSecretProtector secrets)
{
    public const int MaxChannels = 10;
    public const int MaxWindowMinutes = 10_080;

    public async Task<AlertRule> ValidateAsync(string id, AlertRuleRequest? request, AlertRule? existing, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("body", "must be a JSON object.");
            errors.ThrowIfAny();
        }

        var rule = request!;
        var name = rule.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            errors.Add("name", "is required, at most 100 characters.");
        }

        var metric = rule.Metric?.Trim() ?? "";
        if (!IsMetric(metric))
        {
            errors.Add("metric", $"must be one of {string.Join(", ", AlertRuleValues.Metrics)} (score names: letters, digits, '_', '-', '.').");
        }

        var twinId = string.IsNullOrWhiteSpace(rule.TwinId) ? null : rule.TwinId.Trim();
        if (twinId is not null && (twinId.Length > 64 || !TableKeys.IsValid(twinId)))
        {
            errors.Add("twinId", "is not a valid twin id.");
        }

        var window = rule.WindowMinutes ?? 5;
        if (window is < 1 or > MaxWindowMinutes)
        {
            errors.Add("windowMinutes", $"must be between 1 and {MaxWindowMinutes}.");
        }

        var comparator = rule.Comparator?.Trim().ToLowerInvariant() ?? "";
        if (!AlertRuleValues.Comparators.Contains(comparator))
        {
            errors.Add("comparator", $"must be one of {string.Join(", ", AlertRuleValues.Comparators)}.");
        }

        if (rule.Threshold is not { } threshold || !double.IsFinite(threshold))
        {
            errors.Add("threshold", "is required, a finite number.");
            threshold = 0;
        }
        else if (comparator != "increase_pct" && AlertRuleValues.IsRate(metric) && threshold is < 0 or > 1)
        {
            errors.Add("threshold", $"{metric} is a fraction between 0 and 1 (0.05 = 5 %).");
        }

        CheckWarning(rule.WarningThreshold, comparator, threshold, errors);
        var baseline = rule.Baseline?.Trim().ToLowerInvariant();
        if (comparator == "increase_pct")
        {
            baseline ??= "day";
            if (!AlertRuleValues.Baselines.Contains(baseline))
            {
                errors.Add("baseline", "must be day or week: the same window a day or a week earlier.");
            }
        }
        else if (baseline is not null)
        {
            errors.Add("baseline", "applies only to the increase_pct comparator.");
        }

        var forEvaluations = rule.ForEvaluations ?? 1;
        if (forEvaluations is < 1 or > 60)
        {
            errors.Add("forEvaluations", "must be between 1 and 60.");
        }

        var cooldown = rule.CooldownMinutes ?? 15;
        if (cooldown is < 0 or > 1440)
        {
            errors.Add("cooldownMinutes", "must be between 0 and 1440.");
        }

        if (rule.RenotifyMinutes is { } renotify && renotify is < 1 or > MaxWindowMinutes)
        {
            errors.Add("renotifyMinutes", $"must be between 1 and {MaxWindowMinutes}, or absent for no re-notification.");
        }

        var noData = rule.NoData?.Trim().ToLowerInvariant() ?? "ok";
        if (!AlertRuleValues.NoDataModes.Contains(noData))
        {
            errors.Add("noData", "must be ok, alert or keep.");
        }

        var severity = rule.Severity?.Trim().ToLowerInvariant() ?? "warning";
        if (!AlertRuleValues.Severities.Contains(severity))
        {
            errors.Add("severity", "must be info, warning or critical.");
        }

        var channels = await ChannelsAsync(rule.Channels ?? [], existing?.StoredChannels ?? [], errors, cancellationToken).ConfigureAwait(false);
        errors.ThrowIfAny();
        return new AlertRule
        {
            Id = id,
            Name = name!,
            Metric = metric,
            TwinId = twinId,
            WindowMinutes = window,
            Comparator = comparator,
            Threshold = threshold,
            WarningThreshold = rule.WarningThreshold,
            Baseline = baseline,
            ForEvaluations = forEvaluations,
            CooldownMinutes = cooldown,
            RenotifyMinutes = rule.RenotifyMinutes,
            NotifyOnRecovery = rule.NotifyOnRecovery ?? true,
            NoData = noData,
            Severity = severity,
            StoredChannels = channels,
            Enabled = rule.Enabled ?? true,
            CreatedAt = existing?.CreatedAt ?? now,
            UpdatedAt = now,
        };
    }

    private static bool IsMetric(string metric) =>
        metric.StartsWith(AlertRuleValues.ScorePrefix, StringComparison.Ordinal)
            ? ScoreName().IsMatch(metric[AlertRuleValues.ScorePrefix.Length..])
            : AlertRuleValues.Metrics.Contains(metric) && !metric.Contains('<', StringComparison.Ordinal);

    // A warning is the milder level: crossed before the alert threshold is.
    private static void CheckWarning(double? warning, string comparator, double threshold, ValidationErrors errors)
    {
        if (warning is not { } value)
        {
            return;
        }

        var milder = comparator switch
        {
            "lt" or "lte" => value > threshold,
            _ => value < threshold,
        };
        if (!double.IsFinite(value) || !milder)
        {
            errors.Add("warningThreshold", comparator is "lt" or "lte"
                ? "must be above the threshold: the warning comes before the alert."
                : "must be below the threshold: the warning comes before the alert.");
        }
    }

    private async Task<List<StoredAlertChannel>> ChannelsAsync(IReadOnlyList<AlertChannelRequest> requested, IReadOnlyList<StoredAlertChannel> existing, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var channels = new List<StoredAlertChannel>();
        var taken = new HashSet<int>();
        if (requested.Count > MaxChannels)
        {
            errors.Add("channels", $"at most {MaxChannels}.");
            return channels;
        }

        for (var i = 0; i < requested.Count; i++)
        {
            var field = $"channels[{i}]";
            var channel = requested[i];
            var type = channel?.Type?.Trim().ToLowerInvariant() ?? "";
            if (!AlertRuleValues.ChannelTypes.Contains(type))
            {
                errors.Add($"{field}.type", $"must be one of {string.Join(", ", AlertRuleValues.ChannelTypes)}.");
                continue;
            }

            var secret = channel!.Secret ?? channel.RoutingKey;
            var setting = string.IsNullOrWhiteSpace(channel.SecretSetting) ? null : channel.SecretSetting.Trim();
            var url = channel.Url?.Trim();

            // A redacted URL sent back unchanged names the stored channel: keep its URL and, unless replaced, its secret.
            // Channels that redact alike are told apart by position, and each stored one is taken once.
            if (url is not null && Kept(existing, taken, i, type, url) is { } kept)
            {
                if (!CheckSecret(secret, setting, field, errors))
                {
                    continue;
                }

                var keptCipher = secret is null && setting is null ? kept.SecretCipher : null;
                var keptSetting = secret is null && setting is null ? kept.SecretSetting : setting;
                if (secret is not null && !TryProtect(secret, field, errors, out keptCipher))
                {
                    continue;
                }

                channels.Add(kept with { SecretCipher = keptCipher, SecretSetting = keptSetting });
                continue;
            }

            if (!await urls.ValidateAsync(url, $"{field}.url", errors, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (!CheckSecret(secret, setting, field, errors))
            {
                continue;
            }

            if (type == "pagerduty" && secret is null && setting is null)
            {
                errors.Add($"{field}.routingKey", "PagerDuty needs its integration's routing key (secret, routingKey or secretSetting).");
                continue;
            }

            string? cipher = null;
            if (secret is not null && !TryProtect(secret, field, errors, out cipher))
            {
                continue;
            }

            channels.Add(new StoredAlertChannel(type, url!, cipher, setting));
        }

        return channels;
    }

    private static bool CheckSecret(string? secret, string? setting, string field, ValidationErrors errors)
    {
        if (secret is not null && setting is not null)
        {
            errors.Add($"{field}.secret", "give either secret or secretSetting, not both.");
            return false;
        }

        if (setting is not null && !SettingName().IsMatch(setting))
        {
            errors.Add($"{field}.secretSetting", "must be an app setting name (letters, digits, '_', ':', '.', '-').");
            return false;
        }

        if (secret is { Length: 0 or > 512 })
        {
            errors.Add($"{field}.secret", "must be 1 to 512 characters.");
            return false;
        }

        return true;
    }

    private static StoredAlertChannel? Kept(IReadOnlyList<StoredAlertChannel> existing, HashSet<int> taken, int position, string type, string url)
    {
        bool Matches(int index) => !taken.Contains(index) && existing[index].Type == type && StoredAlertChannel.Redact(existing[index].Url) == url;
        var index = position < existing.Count && Matches(position) ? position : Enumerable.Range(0, existing.Count).FirstOrDefault(Matches, -1);
        if (index < 0)
        {
            return null;
        }

        taken.Add(index);
        return existing[index];
    }

    private bool TryProtect(string secret, string field, ValidationErrors errors, out string? cipher)
    {
        cipher = null;
        if (!secrets.CanEncrypt)
        {
            errors.Add($"{field}.secret", $"cannot be stored: {AlertsOptions.SectionName}:SecretKey is not configured; use secretSetting to name an app setting that holds it.");
            return false;
        }

        cipher = secrets.Protect(secret);
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ScoreName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_:.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex SettingName();
}
