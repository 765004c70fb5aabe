using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Twin.Observability.Alerts.Channels;

/// <summary>
/// A PagerDuty Events API v2 event. Firing, re-notification and warning <c>trigger</c> (PagerDuty folds repeated
/// triggers with one dedup key into the open alert); recovery <c>resolve</c>s with the same dedup key. A resolve
/// carries only <c>routing_key</c>, <c>event_action</c> and <c>dedup_key</c>: the Events v2 docs require the
/// payload for triggers only.
/// </summary>
public static class PagerDutyPayload
{
    public const string Source = "twin-observability";
    public const string Client = "Twin Observability";
    public const int MaxDedupKeyLength = 255;
    public const int MaxSummaryLength = 1024;

    public static JsonObject Build(AlertNotification notification, string routingKey)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentException.ThrowIfNullOrWhiteSpace(routingKey);
        var n = notification;
        var resolve = n.Kind == AlertEventKind.Resolved;
        var body = new JsonObject
        {
            ["routing_key"] = routingKey,
            ["event_action"] = resolve ? "resolve" : "trigger",
            ["dedup_key"] = DedupKey(n.DedupKey),
        };
        if (resolve)
        {
            return body;
        }

        body["payload"] = new JsonObject
        {
            ["summary"] = AlertText.Truncate(AlertText.Summary(n), MaxSummaryLength),
            ["source"] = Source,
            ["severity"] = Severity(n),
            ["timestamp"] = AlertText.Iso(n.At),
            ["component"] = n.Metric,
            ["group"] = string.IsNullOrEmpty(n.TwinId) ? "all" : n.TwinId,
            ["class"] = "alert",
            ["custom_details"] = new JsonObject
            {
                ["value"] = AlertText.Json(n.Value),
                ["threshold"] = AlertText.Json(n.Threshold),
                ["comparator"] = n.Comparator,
                ["windowMinutes"] = n.WindowMinutes,
                ["ruleId"] = n.RuleId,
            },
        };
        if (n.DashboardUrl is { } dashboard)
        {
            body["links"] = new JsonArray { new JsonObject { ["href"] = dashboard.AbsoluteUri, ["text"] = "Open dashboard" } };
        }

        body["client"] = Client;
        return body;
    }

    /// <summary>A warning-threshold event pages as a warning whatever the rule's severity; otherwise the rule's severity.</summary>
    internal static string Severity(AlertNotification n) => n.Kind == AlertEventKind.Warning ? "warning" : AlertText.Severity(n.Severity);

    /// <summary>
    /// The notification's dedup key, or, past PagerDuty's 255 characters, its start and a SHA-256 of the whole: still
    /// the same for the trigger and its resolve, and two long keys that share a start stay apart.
    /// </summary>
    internal static string DedupKey(string key)
    {
        if (key.Length <= MaxDedupKeyLength)
        {
            return key;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var keep = MaxDedupKeyLength - hash.Length - 1;
        if (char.IsHighSurrogate(key[keep - 1]))
        {
            keep--;
        }

        return string.Concat(key.AsSpan(0, keep), "~", hash);
    }
}
