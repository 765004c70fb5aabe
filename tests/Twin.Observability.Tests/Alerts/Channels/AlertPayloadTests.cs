using System.Text.Json.Nodes;
using Twin.Observability.Alerts;
using Twin.Observability.Alerts.Channels;
using Xunit;
using static Twin.Observability.Tests.Alerts.Channels.AlertSamples;

namespace Twin.Observability.Tests.Alerts.Channels;

public sealed class AlertPayloadTests
{
    // Every payload goes through the bytes the sender sends, so what is asserted is what a receiver parses.
    private static JsonObject RoundTrip(JsonObject payload) => JsonNode.Parse(AlertSender.Serialize(payload))!.AsObject();

    private static string[] Keys(JsonNode? node) => [.. node!.AsObject().Select(p => p.Key)];

    [Fact]
    public void Slack_firing_has_fallback_text_header_section_with_fields_context_and_dashboard_button()
    {
        var json = RoundTrip(SlackPayload.Build(Notification(dashboard: DashboardUri)));

        Assert.Equal(["text", "blocks"], Keys(json));
        Assert.Contains("FIRING: p95 latency", json["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var blocks = json["blocks"]!.AsArray();
        Assert.Equal(["header", "section", "context", "actions"], blocks.Select(b => b!["type"]!.GetValue<string>()));

        Assert.Equal("plain_text", blocks[0]!["text"]!["type"]!.GetValue<string>());
        Assert.Equal("🔴 FIRING: p95 latency", blocks[0]!["text"]!["text"]!.GetValue<string>());

        var section = blocks[1]!;
        Assert.Equal("mrkdwn", section["text"]!["type"]!.GetValue<string>());
        var text = section["text"]!["text"]!.GetValue<string>();
        Assert.Contains("`latency_ms` is 812.5", text, StringComparison.Ordinal);
        Assert.Contains("threshold &gt; 500", text, StringComparison.Ordinal);
        Assert.Contains("twin `twin-7`", text, StringComparison.Ordinal);
        Assert.Contains("5 min", text, StringComparison.Ordinal);
        Assert.Equal(
            ["*Value*\n812.5", "*Threshold*\n&gt; 500", "*Severity*\ncritical", "*Window*\n5 min"],
            section["fields"]!.AsArray().Select(f => f!["text"]!.GetValue<string>()));
        Assert.All(section["fields"]!.AsArray(), f => Assert.Equal("mrkdwn", f!["type"]!.GetValue<string>()));

        var context = blocks[2]!["elements"]!.AsArray().Select(e => e!["text"]!.GetValue<string>()).ToList();
        Assert.Equal($"<!date^{At.ToUnixTimeSeconds()}^{{date_short_pretty}} {{time_secs}}|2025-03-04T05:06:07.890Z>", context[0]);
        Assert.Equal("Rule `rule-1`", context[1]);

        var button = blocks[3]!["elements"]!.AsArray().Single()!;
        Assert.Equal("button", button["type"]!.GetValue<string>());
        Assert.Equal(DashboardUri.AbsoluteUri, button["url"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(AlertEventKind.Firing, "🔴 FIRING: p95 latency")]
    [InlineData(AlertEventKind.Renotify, "🔁 STILL FIRING: p95 latency")]
    [InlineData(AlertEventKind.Warning, "⚠️ WARNING: p95 latency")]
    [InlineData(AlertEventKind.Resolved, "✅ RESOLVED: p95 latency")]
    public void Slack_header_names_the_kind(AlertEventKind kind, string header)
    {
        var json = RoundTrip(SlackPayload.Build(Notification(kind)));

        Assert.Equal(header, json["blocks"]![0]!["text"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Slack_without_a_dashboard_has_no_actions_and_a_rule_over_all_twins_says_so()
    {
        var json = RoundTrip(SlackPayload.Build(Notification(twinId: null, value: null)));

        var blocks = json["blocks"]!.AsArray();
        Assert.DoesNotContain(blocks, b => b!["type"]!.GetValue<string>() == "actions");
        var text = blocks[1]!["text"]!["text"]!.GetValue<string>();
        Assert.Contains("on all twins", text, StringComparison.Ordinal);
        Assert.Contains("is no data", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Slack_cuts_the_header_to_150_and_the_section_to_3000_characters()
    {
        var json = RoundTrip(SlackPayload.Build(Notification(ruleName: new string('r', 5000))));

        var header = json["blocks"]![0]!["text"]!["text"]!.GetValue<string>();
        var section = json["blocks"]![1]!["text"]!["text"]!.GetValue<string>();
        Assert.Equal(SlackPayload.MaxHeaderLength, header.Length);
        Assert.EndsWith("…", header, StringComparison.Ordinal);
        Assert.Equal(SlackPayload.MaxSectionTextLength, section.Length);
        Assert.EndsWith("…", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Slack_escapes_control_characters_of_mrkdwn_in_user_text()
    {
        var json = RoundTrip(SlackPayload.Build(Notification(ruleName: "<!channel> & co")));

        Assert.Contains("*&lt;!channel&gt; &amp; co*", json["blocks"]![1]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AlertEventKind.Firing, "Attention")]
    [InlineData(AlertEventKind.Renotify, "Attention")]
    [InlineData(AlertEventKind.Warning, "Warning")]
    [InlineData(AlertEventKind.Resolved, "Good")]
    public void Teams_is_a_workflows_message_with_one_adaptive_card(AlertEventKind kind, string color)
    {
        var json = RoundTrip(TeamsPayload.Build(Notification(kind, dashboard: DashboardUri)));

        Assert.Equal("message", json["type"]!.GetValue<string>());
        var attachment = json["attachments"]!.AsArray().Single()!.AsObject();
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        Assert.True(attachment.ContainsKey("contentUrl"));
        Assert.Null(attachment["contentUrl"]);

        var card = attachment["content"]!;
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", card["$schema"]!.GetValue<string>());
        Assert.Equal("AdaptiveCard", card["type"]!.GetValue<string>());
        Assert.Equal("1.4", card["version"]!.GetValue<string>());

        var title = card["body"]![0]!;
        Assert.Equal("TextBlock", title["type"]!.GetValue<string>());
        Assert.Equal($"{AlertSamplesTitle(kind)}: p95 latency", title["text"]!.GetValue<string>());
        Assert.Equal("Bolder", title["weight"]!.GetValue<string>());
        Assert.Equal(color, title["color"]!.GetValue<string>());

        var facts = card["body"]![1]!;
        Assert.Equal("FactSet", facts["type"]!.GetValue<string>());
        var byTitle = facts["facts"]!.AsArray().ToDictionary(f => f!["title"]!.GetValue<string>(), f => f!["value"]!.GetValue<string>());
        Assert.Equal("latency_ms", byTitle["Metric"]);
        Assert.Equal("812.5", byTitle["Value"]);
        Assert.Equal("> 500", byTitle["Threshold"]);
        Assert.Equal("twin-7", byTitle["Twin"]);
        Assert.Equal("5 min", byTitle["Window"]);
        Assert.Equal("critical", byTitle["Severity"]);
        Assert.Equal("rule-1", byTitle["Rule"]);

        var action = card["actions"]!.AsArray().Single()!;
        Assert.Equal("Action.OpenUrl", action["type"]!.GetValue<string>());
        Assert.Equal(DashboardUri.AbsoluteUri, action["url"]!.GetValue<string>());
    }

    private static string AlertSamplesTitle(AlertEventKind kind) => kind switch
    {
        AlertEventKind.Firing => "🔴 FIRING",
        AlertEventKind.Renotify => "🔁 STILL FIRING",
        AlertEventKind.Warning => "⚠️ WARNING",
        _ => "✅ RESOLVED",
    };

    [Fact]
    public void Teams_without_a_dashboard_has_no_actions_and_all_twins()
    {
        var card = RoundTrip(TeamsPayload.Build(Notification(twinId: null)))["attachments"]![0]!["content"]!.AsObject();

        Assert.False(card.ContainsKey("actions"));
        Assert.Contains(card["body"]![1]!["facts"]!.AsArray(), f => f!["title"]!.GetValue<string>() == "Twin" && f["value"]!.GetValue<string>() == "all twins");
    }

    [Fact]
    public void PagerDuty_trigger_carries_the_full_event()
    {
        var json = RoundTrip(PagerDutyPayload.Build(Notification(dashboard: DashboardUri), "R0UT1NGKEY"));

        Assert.Equal(["routing_key", "event_action", "dedup_key", "payload", "links", "client"], Keys(json));
        Assert.Equal("R0UT1NGKEY", json["routing_key"]!.GetValue<string>());
        Assert.Equal("trigger", json["event_action"]!.GetValue<string>());
        Assert.Equal("rule-1|twin-7", json["dedup_key"]!.GetValue<string>());
        Assert.Equal("Twin Observability", json["client"]!.GetValue<string>());

        var payload = json["payload"]!;
        Assert.Equal(["summary", "source", "severity", "timestamp", "component", "group", "class", "custom_details"], Keys(payload));
        Assert.StartsWith("FIRING: p95 latency", payload["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("twin-observability", payload["source"]!.GetValue<string>());
        Assert.Equal("critical", payload["severity"]!.GetValue<string>());
        Assert.Equal("2025-03-04T05:06:07.890Z", payload["timestamp"]!.GetValue<string>());
        Assert.Equal(At, DateTimeOffset.Parse(payload["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("latency_ms", payload["component"]!.GetValue<string>());
        Assert.Equal("twin-7", payload["group"]!.GetValue<string>());
        Assert.Equal("alert", payload["class"]!.GetValue<string>());
        var details = payload["custom_details"]!;
        Assert.Equal(812.5, details["value"]!.GetValue<double>());
        Assert.Equal(500, details["threshold"]!.GetValue<double>());
        Assert.Equal(">", details["comparator"]!.GetValue<string>());
        Assert.Equal(5, details["windowMinutes"]!.GetValue<int>());
        Assert.Equal("rule-1", details["ruleId"]!.GetValue<string>());

        var link = json["links"]!.AsArray().Single()!;
        Assert.Equal(DashboardUri.AbsoluteUri, link["href"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(link["text"]!.GetValue<string>()));
    }

    [Fact]
    public void PagerDuty_resolve_sends_only_the_routing_key_action_and_the_same_dedup_key()
    {
        var trigger = RoundTrip(PagerDutyPayload.Build(Notification(AlertEventKind.Firing, twinId: null), "key"));
        var resolve = RoundTrip(PagerDutyPayload.Build(Notification(AlertEventKind.Resolved, twinId: null, notificationId: "ntf_02"), "key"));

        Assert.Equal("all", trigger["payload"]!["group"]!.GetValue<string>());
        Assert.Equal(["routing_key", "event_action", "dedup_key"], Keys(resolve));
        Assert.Equal("resolve", resolve["event_action"]!.GetValue<string>());
        Assert.Equal(trigger["dedup_key"]!.GetValue<string>(), resolve["dedup_key"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(AlertEventKind.Firing, AlertSeverity.Critical, "trigger", "critical")]
    [InlineData(AlertEventKind.Firing, AlertSeverity.Warning, "trigger", "warning")]
    [InlineData(AlertEventKind.Firing, AlertSeverity.Info, "trigger", "info")]
    [InlineData(AlertEventKind.Renotify, AlertSeverity.Critical, "trigger", "critical")]
    [InlineData(AlertEventKind.Warning, AlertSeverity.Critical, "trigger", "warning")]
    [InlineData(AlertEventKind.Warning, AlertSeverity.Info, "trigger", "warning")]
    public void PagerDuty_action_and_severity_follow_the_kind_and_the_rule(AlertEventKind kind, AlertSeverity severity, string action, string expected)
    {
        var json = RoundTrip(PagerDutyPayload.Build(Notification(kind, severity), "key"));

        Assert.Equal(action, json["event_action"]!.GetValue<string>());
        Assert.Equal(expected, json["payload"]!["severity"]!.GetValue<string>());
    }

    [Fact]
    public void PagerDuty_keeps_dedup_keys_within_255_and_summaries_within_1024_characters()
    {
        var longKey = new string('k', 300);
        var a = RoundTrip(PagerDutyPayload.Build(Notification(ruleName: new string('n', 2000), dedupKey: longKey + "a"), "key"));
        var b = RoundTrip(PagerDutyPayload.Build(Notification(AlertEventKind.Resolved, dedupKey: longKey + "a"), "key"));
        var c = RoundTrip(PagerDutyPayload.Build(Notification(dedupKey: longKey + "b"), "key"));

        var key = a["dedup_key"]!.GetValue<string>();
        Assert.Equal(PagerDutyPayload.MaxDedupKeyLength, key.Length);
        Assert.Equal(key, b["dedup_key"]!.GetValue<string>());
        Assert.NotEqual(key, c["dedup_key"]!.GetValue<string>());
        Assert.Equal(PagerDutyPayload.MaxSummaryLength, a["payload"]!["summary"]!.GetValue<string>().Length);
    }

    [Theory]
    [InlineData(AlertEventKind.Firing, "alert.firing")]
    [InlineData(AlertEventKind.Renotify, "alert.renotify")]
    [InlineData(AlertEventKind.Warning, "alert.warning")]
    [InlineData(AlertEventKind.Resolved, "alert.resolved")]
    public void Webhook_event_is_camel_case_with_its_type(AlertEventKind kind, string type)
    {
        var json = RoundTrip(WebhookPayload.Build(Notification(kind, AlertSeverity.Warning, dashboard: DashboardUri)));

        Assert.Equal(["id", "type", "timestamp", "data"], Keys(json));
        Assert.Equal("ntf_01", json["id"]!.GetValue<string>());
        Assert.Equal(type, json["type"]!.GetValue<string>());
        Assert.Equal("2025-03-04T05:06:07.890Z", json["timestamp"]!.GetValue<string>());
        var data = json["data"]!;
        Assert.Equal(["ruleId", "ruleName", "metric", "twinId", "value", "comparator", "threshold", "windowMinutes", "severity", "dashboardUrl"], Keys(data));
        Assert.Equal("rule-1", data["ruleId"]!.GetValue<string>());
        Assert.Equal("p95 latency", data["ruleName"]!.GetValue<string>());
        Assert.Equal("latency_ms", data["metric"]!.GetValue<string>());
        Assert.Equal("twin-7", data["twinId"]!.GetValue<string>());
        Assert.Equal(812.5, data["value"]!.GetValue<double>());
        Assert.Equal(">", data["comparator"]!.GetValue<string>());
        Assert.Equal(500, data["threshold"]!.GetValue<double>());
        Assert.Equal(5, data["windowMinutes"]!.GetValue<int>());
        Assert.Equal("warning", data["severity"]!.GetValue<string>());
        Assert.Equal(DashboardUri.AbsoluteUri, data["dashboardUrl"]!.GetValue<string>());
    }

    [Fact]
    public void Webhook_event_sends_null_for_a_missing_twin_value_or_dashboard_and_for_a_value_that_is_not_a_number()
    {
        var data = RoundTrip(WebhookPayload.Build(Notification(twinId: null, value: double.NaN)))["data"]!.AsObject();

        Assert.True(data.ContainsKey("twinId") && data.ContainsKey("value") && data.ContainsKey("dashboardUrl"));
        Assert.Null(data["twinId"]);
        Assert.Null(data["value"]);
        Assert.Null(data["dashboardUrl"]);
    }
}
