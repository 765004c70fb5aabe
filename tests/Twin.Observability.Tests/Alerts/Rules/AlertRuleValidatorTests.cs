using Twin.Observability.Alerts;
using Twin.Observability.Common;
using Xunit;
using static Twin.Observability.Tests.Alerts.Rules.AlertTestSupport;

namespace Twin.Observability.Tests.Alerts.Rules;

public sealed class AlertRuleValidatorTests
{
    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private const string SlackUrl = "https://hooks.slack.com/services/T0/B0/SLACKTOKEN";

    private static AlertRuleValidator Validator(string? key = null, params string[] allowedHosts) =>
        new(Policy(allowedHosts), Protector(key));

    private static AlertRuleRequest Minimal(string comparator = "gt") => new()
    {
        Name = "Slow replies",
        Metric = "latency_p95_ms",
        Comparator = comparator,
        Threshold = 2000,
    };

    private static async Task<IReadOnlyDictionary<string, string[]>> ErrorsAsync(AlertRuleRequest request, string? key = null, AlertRule? existing = null)
    {
        var ex = await Assert.ThrowsAsync<RequestValidationException>(() => Validator(key).ValidateAsync("r1", request, existing, T0, default));
        return ex.Errors;
    }

    [Fact]
    public async Task Defaults_are_filled()
    {
        var rule = await Validator().ValidateAsync("r1", Minimal(), null, T0, default);

        Assert.Equal("r1", rule.Id);
        Assert.Equal(5, rule.WindowMinutes);
        Assert.Equal(1, rule.ForEvaluations);
        Assert.Equal(15, rule.CooldownMinutes);
        Assert.Null(rule.RenotifyMinutes);
        Assert.Equal("ok", rule.NoData);
        Assert.Equal("warning", rule.Severity);
        Assert.True(rule.NotifyOnRecovery);
        Assert.True(rule.Enabled);
        Assert.Null(rule.Baseline);
        Assert.Empty(rule.StoredChannels);
        Assert.Equal(T0, rule.CreatedAt);
        Assert.Equal(T0, rule.UpdatedAt);
    }

    [Fact]
    public async Task Increase_pct_defaults_its_baseline_to_day()
    {
        var rule = await Validator().ValidateAsync("r1", Minimal("increase_pct") with { Threshold = 50 }, null, T0, default);

        Assert.Equal("increase_pct", rule.Comparator);
        Assert.Equal("day", rule.Baseline);
    }

    [Fact]
    public async Task Given_values_are_normalised_and_kept()
    {
        var rule = await Validator().ValidateAsync("r1", Minimal() with
        {
            Name = "  Slow  ", Comparator = " GTE ", NoData = "KEEP", Severity = "Critical", WindowMinutes = 60, ForEvaluations = 3,
            CooldownMinutes = 0, RenotifyMinutes = 30, NotifyOnRecovery = false, Enabled = false, WarningThreshold = 1500, TwinId = " demo ",
        }, null, T0, default);

        Assert.Equal(("Slow", "gte", "keep", "critical", 60, 3, 0, 30), (rule.Name, rule.Comparator, rule.NoData, rule.Severity, rule.WindowMinutes, rule.ForEvaluations, rule.CooldownMinutes, rule.RenotifyMinutes));
        Assert.False(rule.NotifyOnRecovery);
        Assert.False(rule.Enabled);
        Assert.Equal(1500, rule.WarningThreshold);
        Assert.Equal("demo", rule.TwinId);
    }

    [Fact]
    public async Task Every_invalid_field_is_reported_at_once()
    {
        var errors = await ErrorsAsync(new AlertRuleRequest
        {
            Name = " ",
            Metric = "avg_score:bad name!",
            WindowMinutes = 0,
            Comparator = "eq",
            Threshold = double.NaN,
            Baseline = "day",
            ForEvaluations = 0,
            CooldownMinutes = -1,
            RenotifyMinutes = 0,
            NoData = "maybe",
            Severity = "fatal",
            Channels = [new AlertChannelRequest { Type = "email", Url = "https://example.com/" }],
        });

        Assert.Equal(
            new[] { "baseline", "channels[0].type", "comparator", "cooldownMinutes", "forEvaluations", "metric", "name", "noData", "renotifyMinutes", "severity", "threshold", "windowMinutes" },
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("avg_score:<name>")]
    [InlineData("avg_score:")]
    [InlineData("avg_score:has space")]
    [InlineData("p95")]
    [InlineData("")]
    public async Task Bad_metrics_are_refused(string metric)
    {
        var errors = await ErrorsAsync(Minimal() with { Metric = metric });

        Assert.Equal(["metric"], errors.Keys);
    }

    [Theory]
    [InlineData("avg_score:helpfulness")]
    [InlineData("avg_score:persona.tone-v2")]
    [InlineData("error_rate")]
    [InlineData("request_count")]
    [InlineData("cost_usd")]
    public async Task Good_metrics_are_accepted(string metric)
    {
        var rule = await Validator().ValidateAsync("r1", Minimal() with { Metric = metric, Threshold = 0.5 }, null, T0, default);

        Assert.Equal(metric, rule.Metric);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10081)]
    public async Task Window_out_of_range_is_refused(int window)
    {
        Assert.Equal(["windowMinutes"], (await ErrorsAsync(Minimal() with { WindowMinutes = window })).Keys);
    }

    [Fact]
    public async Task Window_of_a_week_is_accepted()
    {
        Assert.Equal(10080, (await Validator().ValidateAsync("r1", Minimal() with { WindowMinutes = 10080 }, null, T0, default)).WindowMinutes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public async Task Threshold_missing_or_not_finite_is_refused(double? threshold)
    {
        Assert.Equal(["threshold"], (await ErrorsAsync(Minimal() with { Threshold = threshold })).Keys);
    }

    [Fact]
    public async Task Error_rate_threshold_above_one_is_refused()
    {
        var errors = await ErrorsAsync(Minimal() with { Metric = "error_rate", Threshold = 1.5 });

        Assert.Equal(["threshold"], errors.Keys);
        Assert.Contains("fraction", errors["threshold"][0]);
    }

    [Fact]
    public async Task Error_rate_increase_pct_may_exceed_one()
    {
        var rule = await Validator().ValidateAsync("r1", Minimal("increase_pct") with { Metric = "error_rate", Threshold = 50 }, null, T0, default);

        Assert.Equal(50, rule.Threshold);
    }

    [Theory]
    [InlineData("gt", 2500)]
    [InlineData("gt", 2000)]
    [InlineData("lt", 1500)]
    [InlineData("lte", 2000)]
    public async Task Warning_threshold_on_the_wrong_side_is_refused(string comparator, double warning)
    {
        Assert.Equal(["warningThreshold"], (await ErrorsAsync(Minimal(comparator) with { WarningThreshold = warning })).Keys);
    }

    [Theory]
    [InlineData("gt", 1500)]
    [InlineData("lt", 2500)]
    public async Task Warning_threshold_on_the_milder_side_is_accepted(string comparator, double warning)
    {
        var rule = await Validator().ValidateAsync("r1", Minimal(comparator) with { WarningThreshold = warning }, null, T0, default);

        Assert.Equal(warning, rule.WarningThreshold);
    }

    [Fact]
    public async Task Baseline_other_than_day_or_week_is_refused_for_increase_pct()
    {
        Assert.Equal(["baseline"], (await ErrorsAsync(Minimal("increase_pct") with { Baseline = "month" })).Keys);
    }

    [Fact]
    public async Task Baseline_without_increase_pct_is_refused()
    {
        Assert.Equal(["baseline"], (await ErrorsAsync(Minimal() with { Baseline = "week" })).Keys);
    }

    [Theory]
    [InlineData(61, null, null)]
    [InlineData(null, 1441, null)]
    [InlineData(null, null, 10081)]
    public async Task Counts_out_of_range_are_refused(int? forEvaluations, int? cooldown, int? renotify)
    {
        var errors = await ErrorsAsync(Minimal() with { ForEvaluations = forEvaluations, CooldownMinutes = cooldown, RenotifyMinutes = renotify });

        var expected = forEvaluations is not null ? "forEvaluations" : cooldown is not null ? "cooldownMinutes" : "renotifyMinutes";
        Assert.Equal([expected], errors.Keys);
    }

    [Fact]
    public async Task Too_many_channels_are_refused()
    {
        var channels = Enumerable.Range(0, 11).Select(_ => new AlertChannelRequest { Type = "webhook", Url = "https://example.com/hook" }).ToList();

        Assert.Equal(["channels"], (await ErrorsAsync(Minimal() with { Channels = channels })).Keys);
    }

    [Fact]
    public async Task Ten_channels_are_accepted()
    {
        var channels = Enumerable.Range(0, 10).Select(i => new AlertChannelRequest { Type = "webhook", Url = $"https://example.com/hook/{i}" }).ToList();

        Assert.Equal(10, (await Validator().ValidateAsync("r1", Minimal() with { Channels = channels }, null, T0, default)).StoredChannels.Count);
    }

    [Theory]
    [InlineData("http://example.com/hook")]
    [InlineData("https://10.0.0.1/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://user:pw@example.com/hook")]
    [InlineData("not a url")]
    [InlineData(null)]
    public async Task Channel_url_is_checked_by_the_outbound_policy(string? url)
    {
        var errors = await ErrorsAsync(Minimal() with { Channels = [new AlertChannelRequest { Type = "webhook", Url = url }] });

        Assert.Equal(["channels[0].url"], errors.Keys);
    }

    [Fact]
    public async Task Channel_url_error_names_its_index()
    {
        var errors = await ErrorsAsync(Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "slack", Url = SlackUrl }, new AlertChannelRequest { Type = "webhook", Url = "https://10.0.0.1/hook" }],
        });

        Assert.Equal(["channels[1].url"], errors.Keys);
    }

    [Fact]
    public async Task Allowed_host_may_be_private_and_plain_http()
    {
        var rule = await new AlertRuleValidator(Policy("localhost"), Protector(null))
            .ValidateAsync("r1", Minimal() with { Channels = [new AlertChannelRequest { Type = "webhook", Url = "http://localhost:7071/hook" }] }, null, T0, default);

        Assert.Equal("http://localhost:7071/hook", Assert.Single(rule.StoredChannels).Url);
    }

    [Fact]
    public async Task Pagerduty_without_a_routing_key_is_refused()
    {
        var errors = await ErrorsAsync(Minimal() with { Channels = [new AlertChannelRequest { Type = "pagerduty", Url = "https://events.pagerduty.com/v2/enqueue" }] }, KeyA);

        Assert.Equal(["channels[0].routingKey"], errors.Keys);
    }

    [Fact]
    public async Task Pagerduty_routing_key_is_stored_encrypted()
    {
        var rule = await Validator(KeyA).ValidateAsync("r1", Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "pagerduty", Url = "https://events.pagerduty.com/v2/enqueue", RoutingKey = "R0UTINGKEY" }],
        }, null, T0, default);

        var channel = Assert.Single(rule.StoredChannels);
        Assert.Equal("R0UTINGKEY", Protector(KeyA).Reveal(channel));
    }

    [Fact]
    public async Task Secret_and_secretSetting_together_are_refused()
    {
        var errors = await ErrorsAsync(Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "webhook", Url = "https://example.com/hook", Secret = "s3cret", SecretSetting = "HOOK_SECRET" }],
        }, KeyA);

        Assert.Equal(["channels[0].secret"], errors.Keys);
    }

    [Fact]
    public async Task Bad_secretSetting_name_is_refused()
    {
        var errors = await ErrorsAsync(Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "webhook", Url = "https://example.com/hook", SecretSetting = "1 bad name" }],
        });

        Assert.Equal(["channels[0].secretSetting"], errors.Keys);
    }

    [Fact]
    public async Task Plaintext_secret_without_a_key_is_refused_naming_the_setting()
    {
        var errors = await ErrorsAsync(Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "webhook", Url = "https://example.com/hook", Secret = "s3cret" }],
        });

        Assert.Equal(["channels[0].secret"], errors.Keys);
        Assert.Contains("Alerts:SecretKey", errors["channels[0].secret"][0]);
    }

    [Fact]
    public async Task Secret_setting_without_a_key_is_accepted()
    {
        var rule = await Validator().ValidateAsync("r1", Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "webhook", Url = "https://example.com/hook", SecretSetting = "HOOK_SECRET" }],
        }, null, T0, default);

        var channel = Assert.Single(rule.StoredChannels);
        Assert.Equal("HOOK_SECRET", channel.SecretSetting);
        Assert.Null(channel.SecretCipher);
        Assert.Equal(new AlertChannelView("webhook", "https://example.com/hook", true, "HOOK_SECRET"), channel.View());
    }

    [Fact]
    public async Task With_a_key_the_secret_is_stored_encrypted_and_never_shown()
    {
        var rule = await Validator(KeyA).ValidateAsync("r1", Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "webhook", Url = "https://example.com/hook?token=abc", Secret = "s3cret-value" }],
        }, null, T0, default);

        var channel = Assert.Single(rule.StoredChannels);
        Assert.NotNull(channel.SecretCipher);
        Assert.DoesNotContain("s3cret-value", channel.SecretCipher);
        Assert.Equal("s3cret-value", Protector(KeyA).Reveal(channel));
        var view = Assert.Single(rule.Channels);
        Assert.True(view.HasSecret);
        Assert.Null(view.SecretSetting);
        Assert.Equal("https://example.com/hook?token=***", view.Url);
        var json = System.Text.Json.JsonSerializer.Serialize(rule, WebJson);
        Assert.DoesNotContain("s3cret-value", json);
        Assert.DoesNotContain(channel.SecretCipher, json);
        Assert.DoesNotContain("abc", json);
    }

    [Fact]
    public async Task Put_with_the_redacted_url_and_no_secret_keeps_the_stored_url_and_cipher()
    {
        var validator = Validator(KeyA);
        var created = await validator.ValidateAsync("r1", Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "slack", Url = SlackUrl, Secret = "keep-me" }],
        }, null, T0, default);
        var stored = Assert.Single(created.StoredChannels);
        var redacted = Assert.Single(created.Channels).Url;
        Assert.Equal("https://hooks.slack.com/services/T0/B0/***", redacted);

        var updated = await validator.ValidateAsync("r1", Minimal() with
        {
            Name = "Renamed",
            Channels = [new AlertChannelRequest { Type = "slack", Url = redacted }],
        }, created, T0.AddHours(1), default);

        var kept = Assert.Single(updated.StoredChannels);
        Assert.Equal(SlackUrl, kept.Url);
        Assert.Equal(stored.SecretCipher, kept.SecretCipher);
        Assert.Equal(T0, updated.CreatedAt);
        Assert.Equal(T0.AddHours(1), updated.UpdatedAt);
    }

    [Fact]
    public async Task Put_with_the_redacted_url_and_a_new_secret_replaces_only_the_secret()
    {
        var validator = Validator(KeyA);
        var created = await validator.ValidateAsync("r1", Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "slack", Url = SlackUrl, Secret = "old" }],
        }, null, T0, default);

        var updated = await validator.ValidateAsync("r1", Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "slack", Url = created.Channels[0].Url, Secret = "new" }],
        }, created, T0, default);

        var kept = Assert.Single(updated.StoredChannels);
        Assert.Equal(SlackUrl, kept.Url);
        Assert.Equal("new", Protector(KeyA).Reveal(kept));
    }

    [Fact]
    public async Task Put_with_the_redacted_url_may_not_add_both_a_secret_and_a_secretSetting()
    {
        var validator = Validator(KeyA);
        var created = await validator.ValidateAsync("r1", Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "slack", Url = SlackUrl }],
        }, null, T0, default);

        var errors = await Assert.ThrowsAsync<RequestValidationException>(() => validator.ValidateAsync("r1", Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "slack", Url = created.Channels[0].Url, Secret = "s3cret", SecretSetting = "HOOK_SECRET" }],
        }, created, T0, default));

        Assert.Equal(["channels[0].secret"], errors.Errors.Keys);
    }

    [Fact]
    public async Task Put_with_the_redacted_url_checks_a_new_secretSetting_name()
    {
        var validator = Validator(KeyA);
        var created = await validator.ValidateAsync("r1", Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "slack", Url = SlackUrl }],
        }, null, T0, default);

        var errors = await Assert.ThrowsAsync<RequestValidationException>(() => validator.ValidateAsync("r1", Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "slack", Url = created.Channels[0].Url, SecretSetting = "1 bad name" }],
        }, created, T0, default));

        Assert.Equal(["channels[0].secretSetting"], errors.Errors.Keys);
    }

    [Fact]
    public async Task Put_with_the_redacted_url_checks_a_new_secret_length()
    {
        var validator = Validator(KeyA);
        var created = await validator.ValidateAsync("r1", Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "slack", Url = SlackUrl, Secret = "old" }],
        }, null, T0, default);

        var errors = await Assert.ThrowsAsync<RequestValidationException>(() => validator.ValidateAsync("r1", Minimal() with
        {
            Channels = [new AlertChannelRequest { Type = "slack", Url = created.Channels[0].Url, Secret = new string('x', 513) }],
        }, created, T0, default));

        Assert.Equal(["channels[0].secret"], errors.Errors.Keys);
    }

    [Fact]
    public async Task Put_of_two_channels_that_redact_alike_keeps_both()
    {
        var validator = Validator(KeyA);
        var created = await validator.ValidateAsync("r1", Minimal() with
        {
            Channels =
            [
                new AlertChannelRequest { Type = "webhook", Url = "https://example.com/hook?token=first" },
                new AlertChannelRequest { Type = "webhook", Url = "https://example.com/hook?token=second" },
            ],
        }, null, T0, default);
        Assert.Equal(created.Channels[0].Url, created.Channels[1].Url);

        // The GET body sent back unchanged.
        var updated = await validator.ValidateAsync("r1", Minimal() with
        {
            Channels = created.Channels.Select(c => new AlertChannelRequest { Type = c.Type, Url = c.Url }).ToList(),
        }, created, T0, default);

        Assert.Equal(created.StoredChannels.Select(c => c.Url), updated.StoredChannels.Select(c => c.Url));
    }

    [Fact]
    public async Task Null_body_is_refused()
    {
        Assert.Equal(["body"], (await ErrorsAsync(null!)).Keys);
    }
}
