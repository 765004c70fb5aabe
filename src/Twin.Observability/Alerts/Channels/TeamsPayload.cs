using System.Text.Json.Nodes;

namespace Twin.Observability.Alerts.Channels;

/// <summary>
/// The body a Teams Workflows (Power Automate) webhook takes: a message with one Adaptive Card 1.4 attachment. The
/// retired Office 365 connectors' MessageCard is not used: Workflows render it only in part (no buttons).
/// </summary>
public static class TeamsPayload
{
    public static JsonObject Build(AlertNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var n = notification;
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray
            {
                new JsonObject
                {
                    ["type"] = "TextBlock",
                    ["text"] = AlertText.Title(n),
                    ["weight"] = "Bolder",
                    ["size"] = "Medium",
                    ["color"] = Color(n.Kind),
                    ["wrap"] = true,
                },
                new JsonObject
                {
                    ["type"] = "FactSet",
                    ["facts"] = new JsonArray
                    {
                        Fact("Metric", n.Metric),
                        Fact("Value", AlertText.Value(n.Value)),
                        Fact("Threshold", $"{n.Comparator} {AlertText.Number(n.Threshold)}"),
                        Fact("Twin", string.IsNullOrEmpty(n.TwinId) ? AlertText.AllTwins : n.TwinId),
                        Fact("Window", AlertText.Window(n.WindowMinutes)),
                        Fact("Severity", AlertText.Severity(n.Severity)),
                        Fact("Time", AlertText.Iso(n.At)),
                        Fact("Rule", n.RuleId),
                    },
                },
            },
        };

        if (n.DashboardUrl is { } dashboard)
        {
            card["actions"] = new JsonArray
            {
                new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open dashboard", ["url"] = dashboard.AbsoluteUri },
            };
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject
                {
                    ["contentType"] = "application/vnd.microsoft.card.adaptive",
                    ["contentUrl"] = null,
                    ["content"] = card,
                },
            },
        };
    }

    internal static string Color(AlertEventKind kind) => kind switch
    {
        AlertEventKind.Resolved => "Good",
        AlertEventKind.Warning => "Warning",
        _ => "Attention",
    };

    private static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };
}
