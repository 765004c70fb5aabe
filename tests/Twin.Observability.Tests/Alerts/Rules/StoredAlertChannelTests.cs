using Twin.Observability.Alerts;
using Xunit;

namespace Twin.Observability.Tests.Alerts.Rules;

public sealed class StoredAlertChannelTests
{
    [Theory]
    [InlineData("https://hooks.slack.com/services/T0/B0/XXXXSECRETXXXX", "https://hooks.slack.com/services/T0/B0/***")]
    [InlineData(
        "https://prod-12.westeurope.logic.azure.com:443/workflows/abc123/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SIGSECRET",
        "https://prod-12.westeurope.logic.azure.com/workflows/abc123/triggers/manual/paths/invoke?api-version=***&sp=***&sv=***&sig=***")]
    [InlineData("https://example.com/hooks/alerts", "https://example.com/hooks/alerts")]
    [InlineData("https://example.com:8443/hook", "https://example.com:8443/hook")]
    [InlineData("https://user:pw@example.com/hook", "https://example.com/hook")]
    [InlineData("not a url", "***")]
    [InlineData("", "***")]
    public void Redact_hides_what_makes_a_url_a_credential(string url, string expected)
    {
        Assert.Equal(expected, StoredAlertChannel.Redact(url));
    }

    [Fact]
    public void Redacted_teams_url_keeps_no_query_value()
    {
        var redacted = StoredAlertChannel.Redact("https://x.logic.azure.com/workflows/w/triggers/manual/paths/invoke?sig=SIGSECRET&sv=1.0");

        Assert.DoesNotContain("SIGSECRET", redacted);
        Assert.Contains("sig=***", redacted);
    }

    [Fact]
    public void Redact_hides_a_slack_token_followed_by_a_slash()
    {
        var redacted = StoredAlertChannel.Redact("https://hooks.slack.com/services/T0/B0/SLACKTOKEN/");

        Assert.DoesNotContain("SLACKTOKEN", redacted);
    }

    [Fact]
    public void View_shows_the_redacted_url_and_whether_there_is_a_secret()
    {
        var withCipher = new StoredAlertChannel("slack", "https://hooks.slack.com/services/T0/B0/TOKEN", "v1.a.b.c", null).View();
        var bare = new StoredAlertChannel("webhook", "https://example.com/hook", null, null).View();

        Assert.Equal(new AlertChannelView("slack", "https://hooks.slack.com/services/T0/B0/***", true, null), withCipher);
        Assert.Equal(new AlertChannelView("webhook", "https://example.com/hook", false, null), bare);
    }

    [Theory]
    [InlineData("slack", AlertChannelType.Slack)]
    [InlineData("teams", AlertChannelType.Teams)]
    [InlineData("pagerduty", AlertChannelType.PagerDuty)]
    [InlineData("webhook", AlertChannelType.Webhook)]
    public void Channel_type_is_read_from_its_name(string type, AlertChannelType expected)
    {
        Assert.Equal(expected, new StoredAlertChannel(type, "https://example.com/", null, null).ChannelType);
    }
}
