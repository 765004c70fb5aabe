using System.Text.Json.Nodes;

namespace Twin.Observability.Alerts.Channels;

/// <summary>
/// The body of a Slack incoming webhook: a fallback <c>text</c> (notifications and screen readers) and Block Kit
/// blocks: header, section with fields, context, and a dashboard button when there is a dashboard URL.
/// </summary>
public static class SlackPayload
{
    /// <summary>Slack rejects a header whose plain_text exceeds 150 characters.</summary>
    public const int MaxHeaderLength = 150;

    /// <summary>Slack rejects a section whose text exceeds 3,000 characters.</summary>
    public const int MaxSectionTextLength = 3000;

    /// <summary>Each section field may hold 2,000 characters.</summary>
    public const int MaxFieldLength = 2000;

    // The top-level text may hold 40,000; a fallback line never needs that much.
    private const int MaxFallbackLength = 3000;

    public static JsonObject Build(AlertNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var n = notification;
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = PlainText(AlertText.Truncate(AlertText.Title(n), MaxHeaderLength)),
            },
            new JsonObject
            {
                ["type"] = "section",
                ["text"] = Mrkdwn(AlertText.Truncate(SectionText(n), MaxSectionTextLength)),
                ["fields"] = new JsonArray
                {
                    Field("Value", AlertText.Value(n.Value)),
                    Field("Threshold", $"{n.Comparator} {AlertText.Number(n.Threshold)}"),
                    Field("Severity", AlertText.Severity(n.Severity)),
                    Field("Window", AlertText.Window(n.WindowMinutes)),
                },
            },
            new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray
                {
                    // Slack renders <!date^…> in the reader's time zone; the text after | is the fallback.
                    Mrkdwn($"<!date^{n.At.ToUnixTimeSeconds()}^{{date_short_pretty}} {{time_secs}}|{AlertText.Iso(n.At)}>"),
                    Mrkdwn($"Rule `{Escape(n.RuleId)}`"),
                },
            },
        };

        if (n.DashboardUrl is { } dashboard)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["elements"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["type"] = "button",
                        ["text"] = PlainText("Open dashboard"),
                        ["url"] = dashboard.AbsoluteUri,
                    },
                },
            });
        }

        return new JsonObject
        {
            ["text"] = AlertText.Truncate(AlertText.Summary(n), MaxFallbackLength),
            ["blocks"] = blocks,
        };
    }

    private static string SectionText(AlertNotification n)
    {
        var twin = string.IsNullOrEmpty(n.TwinId) ? AlertText.AllTwins : $"twin `{Escape(n.TwinId)}`";
        return $"*{Escape(n.RuleName)}*\n`{Escape(n.Metric)}` is {AlertText.Value(n.Value)} (threshold {Escape(n.Comparator)} {AlertText.Number(n.Threshold)}) on {twin} over the last {AlertText.Window(n.WindowMinutes)}.";
    }

    private static JsonObject Field(string name, string value) => Mrkdwn(AlertText.Truncate($"*{name}*\n{Escape(value)}", MaxFieldLength));

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    // Slack's mrkdwn treats &, < and > as control characters (links, mentions); user text must not become one.
    internal static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
