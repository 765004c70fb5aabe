using System.Globalization;

namespace Twin.Observability.Alerts.Channels;

/// <summary>The words and numbers every channel shows for a notification, so Slack, Teams, PagerDuty and the webhook agree.</summary>
internal static class AlertText
{
    public const string AllTwins = "all twins";

    public static string Headline(AlertEventKind kind) => kind switch
    {
        AlertEventKind.Firing => "🔴 FIRING",
        AlertEventKind.Renotify => "🔁 STILL FIRING",
        AlertEventKind.Warning => "⚠️ WARNING",
        AlertEventKind.Resolved => "✅ RESOLVED",
        _ => kind.ToString().ToUpperInvariant(),
    };

    public static string Title(AlertNotification n) => $"{Headline(n.Kind)}: {n.RuleName}";

    public static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    // A rule can fire on missing data (no value at all); "no data" says so instead of a made-up 0.
    public static string Value(double? value) => value is { } v ? Number(v) : "no data";

    public static string Twin(AlertNotification n) => string.IsNullOrEmpty(n.TwinId) ? AllTwins : $"twin {n.TwinId}";

    public static string Window(int minutes) => minutes == 1 ? "1 min" : $"{minutes.ToString(CultureInfo.InvariantCulture)} min";

    public static string Severity(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "critical",
        AlertSeverity.Warning => "warning",
        _ => "info",
    };

    /// <summary>One plain line: "FIRING: rule — latency_ms 812 &gt; 500 on twin t1 over 5 min".</summary>
    public static string Summary(AlertNotification n)
    {
        var word = n.Kind switch
        {
            AlertEventKind.Firing => "FIRING",
            AlertEventKind.Renotify => "STILL FIRING",
            AlertEventKind.Warning => "WARNING",
            _ => "RESOLVED",
        };
        return $"{word}: {n.RuleName} — {n.Metric} {Value(n.Value)} (threshold {n.Comparator} {Number(n.Threshold)}) on {Twin(n)} over {Window(n.WindowMinutes)}";
    }

    // JSON has no NaN or infinity (the serializer throws on them); a value that is not a number is sent as null.
    public static System.Text.Json.Nodes.JsonNode? Json(double? value) => value is { } v && double.IsFinite(v) ? System.Text.Json.Nodes.JsonValue.Create(v) : null;

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="max"/> UTF-16 units, ending in "…", never between a surrogate pair.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var keep = max - 1;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), "…");
    }
}
