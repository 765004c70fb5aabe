using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Alerts;
using Twin.Testing;
using Twin.Testing.Fakes;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Alerts;

/// <summary>
/// Alerts end to end over the local host and its timers (EvaluateAlerts every second here), on an Azurite account of
/// their own: chats that fail fire a rule, a loopback receiver (allowed by Outbound:AllowedHosts) gets exactly one
/// signed webhook, recovery resolves it; overlapping evaluations send nothing twice; stopped monitoring evaluates
/// nothing; bad rules and private URLs are refused.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AlertsApiTests : IAsyncLifetime
{
    private static readonly string SigningSecret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("alerts-api-tests-signing-key-32b"));

    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;
    private HttpClient _user = null!;
    private FakeWebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await FakeWebhookReceiver.StartAsync();
        _server = await TwinApp.StartAsync(
            ("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()),
            ("Alerts:EvaluationSchedule", "* * * * * *"),
            ("Alerts:EvaluationSlotSeconds", "1"),
            ("Alerts:SecretKey", Convert.ToBase64String(SHA256.HashData("alerts-api-tests"u8))),
            ("Alerts:Send:AttemptTimeoutMilliseconds", "5000"),
            ("Outbound:AllowedHosts:0", "127.0.0.1"),
            ("ALERT_WEBHOOK_URL", _receiver.Url("/default")),
            ("ALERT_WEBHOOK_SECRET", SigningSecret));
        _admin = _server.CreateClient(TestKeys.Admin);
        _user = _server.CreateClient(TestKeys.User);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        _user.Dispose();
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Failing_chats_fire_one_signed_webhook_and_recovery_resolves_it()
    {
        var twinId = await NewTwinAsync();
        var rule = await CreateRuleAsync(twinId, "/fire");
        (await _admin.PostAsync("/api/manage/alerts/start-monitoring", null)).EnsureSuccessStatusCode();

        await FailChatsAsync(twinId, 3);
        await Eventually.TrueAsync(() => Hooks("/fire").Count >= 1, TimeSpan.FromSeconds(30), "the firing webhook");
        var firing = Hooks("/fire")[0];
        Assert.Equal("alert.firing", firing.Json.GetProperty("type").GetString());
        Assert.Equal(rule, firing.Json.GetProperty("data").GetProperty("ruleId").GetString());
        Assert.Equal(1.0, firing.Json.GetProperty("data").GetProperty("value").GetDouble());
        AssertSigned(firing);

        var active = await JsonAsync(await _admin.GetAsync("/api/dashboard/alerts/active"));
        Assert.Contains(active.GetProperty("data").EnumerateArray(), a => a.GetProperty("ruleId").GetString() == rule && a.GetProperty("state").GetString() == "firing");

        for (var i = 0; i < 10; i++)
        {
            (await _user.SendAsync(Message($"/api/chat/{twinId}", new { message = $"What do you like for tracing? ({i})" }))).EnsureSuccessStatusCode();
        }

        await Eventually.TrueAsync(() => Hooks("/fire").Count >= 2, TimeSpan.FromSeconds(30), "the resolved webhook");
        var resolved = Hooks("/fire")[1];
        Assert.Equal("alert.resolved", resolved.Json.GetProperty("type").GetString());
        AssertSigned(resolved);
        Assert.NotEqual(firing.Headers["webhook-id"], resolved.Headers["webhook-id"]);

        // Several more timer runs (one a second) change nothing: one notification per transition. The event: the rule's
        // state evaluated three seconds after the resolved webhook arrived; runs never overlap, so the runs between
        // (and anything they sent) are over by then.
        var states = _server.Services.GetRequiredService<AlertStateStore>();
        var resolvedSeen = DateTimeOffset.UtcNow;
        await Eventually.TrueAsync(async () => (await states.GetAsync(rule, default)).LastEvaluatedAt >= resolvedSeen.AddSeconds(3), TimeSpan.FromSeconds(60), "three more evaluations of the rule");
        Assert.Equal(2, Hooks("/fire").Count);
        Assert.Empty((await JsonAsync(await _admin.GetAsync("/api/dashboard/alerts/active"))).GetProperty("data").EnumerateArray().Where(a => a.GetProperty("ruleId").GetString() == rule));

        var history = await JsonAsync(await _admin.GetAsync($"/api/manage/alerts/history?ruleId={rule}"));
        var entries = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("kind").GetString() == "transition" && e.GetProperty("to").GetString() == "firing");
        Assert.Contains(entries, e => e.GetProperty("kind").GetString() == "transition" && e.GetProperty("from").GetString() == "firing" && e.GetProperty("to").GetString() == "resolved");
        var notifications = entries.Where(e => e.GetProperty("kind").GetString() == "notification").ToList();
        Assert.Equal(["resolved", "firing"], notifications.Select(n => n.GetProperty("event").GetString()));
        Assert.All(notifications, n => Assert.True(n.GetProperty("delivered").GetBoolean()));
    }

    [Fact]
    public async Task Overlapping_evaluations_send_one_notification()
    {
        var twinId = await NewTwinAsync();
        await CreateRuleAsync(twinId, "/overlap");
        await FailChatsAsync(twinId, 2);

        // Monitoring is off: only these checks evaluate, all at once.
        var checks = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _admin.PostAsync("/api/manage/alerts/check", null)));
        var notified = 0;
        foreach (var check in checks)
        {
            var body = await JsonAsync(check);
            notified += body.GetProperty("data").EnumerateArray().Count(r => r.GetProperty("notified").EnumerateArray().Any());
        }

        Assert.Equal(1, notified);
        await Eventually.TrueAsync(() => Hooks("/overlap").Count >= 1, TimeSpan.FromSeconds(10), "the firing webhook");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(Hooks("/overlap"));
    }

    [Fact]
    public async Task A_rule_without_channels_notifies_the_seeds_alert_webhook_url()
    {
        var twinId = await NewTwinAsync();
        var created = await _admin.PostAsJsonAsync("/api/manage/alerts/rules", new { name = "default channel", metric = "error_rate", twinId, comparator = "gt", threshold = 0.5 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = (await JsonAsync(created)).GetProperty("id").GetString();
        var listed = await JsonAsync(await _admin.GetAsync("/api/manage/alerts/rules?limit=500"));
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetString() == rule && r.GetProperty("channels").GetArrayLength() == 0);
        await FailChatsAsync(twinId, 2);

        var check = await JsonAsync(await _admin.PostAsync("/api/manage/alerts/check", null));
        Assert.Contains(check.GetProperty("data").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == rule && r.GetProperty("state").GetString() == "firing");

        await Eventually.TrueAsync(() => Hooks("/default").Count >= 1, TimeSpan.FromSeconds(10), "the default webhook");
        var hook = Assert.Single(Hooks("/default"));
        Assert.Equal(rule, hook.Json.GetProperty("data").GetProperty("ruleId").GetString());
        AssertSigned(hook);
    }

    [Fact]
    public async Task Stopped_monitoring_evaluates_nothing()
    {
        (await _admin.PostAsync("/api/manage/alerts/start-monitoring", null)).EnsureSuccessStatusCode();
        var stopped = await JsonAsync(await _admin.PostAsync("/api/manage/alerts/stop-monitoring", null));
        Assert.False(stopped.GetProperty("monitoring").GetBoolean());

        var twinId = await NewTwinAsync();
        var rule = await CreateRuleAsync(twinId, "/stopped");
        await FailChatsAsync(twinId, 2);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Empty(Hooks("/stopped"));
        var history = await JsonAsync(await _admin.GetAsync($"/api/manage/alerts/history?ruleId={rule}"));
        Assert.Empty(history.GetProperty("items").EnumerateArray());
        Assert.False((await JsonAsync(await _admin.GetAsync("/api/manage/alerts/monitoring"))).GetProperty("monitoring").GetBoolean());
    }

    [Fact]
    public async Task Invalid_rules_are_refused_with_every_field_named()
    {
        var response = await _admin.PostAsJsonAsync("/api/manage/alerts/rules", new
        {
            name = "",
            metric = "error_ratio",
            windowMinutes = 0,
            comparator = "above",
            forEvaluations = 0,
            noData = "maybe",
            severity = "urgent",
            channels = new object[] { new { type = "carrier-pigeon", url = "https://example.com" } },
        });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Superset(
            new HashSet<string> { "name", "metric", "windowMinutes", "comparator", "threshold", "forEvaluations", "noData", "severity", "channels[0].type" },
            ProblemAssert.ErrorFields(problem).ToHashSet());
    }

    [Theory]
    [InlineData("https://10.0.0.1/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("http://example.com/hook")]
    public async Task Channel_urls_to_private_addresses_or_plain_http_are_refused(string url)
    {
        var response = await _admin.PostAsJsonAsync("/api/manage/alerts/rules", Rule("demo", url));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, url);
        Assert.Equal(["channels[0].url"], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task Secrets_are_never_returned_and_updates_honour_the_etag()
    {
        var created = await _admin.PostAsJsonAsync("/api/manage/alerts/rules", Rule("demo", _receiver.Url("/etag")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var text = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain(SigningSecret, text, StringComparison.Ordinal);
        var rule = JsonDocument.Parse(text).RootElement;
        var id = rule.GetProperty("id").GetString()!;
        var channel = rule.GetProperty("channels")[0];
        Assert.True(channel.GetProperty("hasSecret").GetBoolean());

        var read = await _admin.GetAsync($"/api/manage/alerts/rules/{id}");
        var etag = read.Headers.ETag!;
        Assert.DoesNotContain(SigningSecret, await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var renamed = new
        {
            name = "renamed",
            metric = "error_rate",
            twinId = "demo",
            comparator = "gt",
            threshold = 0.2,
            channels = new object[] { new { type = "webhook", url = channel.GetProperty("url").GetString() } },
        };
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/manage/alerts/rules/{id}") { Content = JsonContent.Create(renamed) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"stale\"", true));
        await ProblemAssert.IsProblemAsync(await _admin.SendAsync(stale), HttpStatusCode.PreconditionFailed);

        var current = new HttpRequestMessage(HttpMethod.Put, $"/api/manage/alerts/rules/{id}") { Content = JsonContent.Create(renamed) };
        current.Headers.IfMatch.Add(etag);
        var replaced = await _admin.SendAsync(current);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var body = await JsonAsync(replaced);
        Assert.Equal("renamed", body.GetProperty("name").GetString());
        Assert.True(body.GetProperty("channels")[0].GetProperty("hasSecret").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/manage/alerts/rules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/api/manage/alerts/rules/{id}")).StatusCode);
    }

    private IReadOnlyList<ReceivedWebhook> Hooks(string path) => _receiver.Requests.Where(r => r.Path == path).ToList();

    private async Task<string> NewTwinAsync()
    {
        var twinId = "al-" + Guid.NewGuid().ToString("N")[..10];
        (await _admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name = "Alba", persona = "You are Alba.", knowledge = new[] { "Alba likes tracing with Langfuse." } })).EnsureSuccessStatusCode();
        return twinId;
    }

    private async Task<string> CreateRuleAsync(string twinId, string path)
    {
        var response = await _admin.PostAsJsonAsync("/api/manage/alerts/rules", Rule(twinId, _receiver.Url(path)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("id").GetString()!;
    }

    private static object Rule(string twinId, string url) => new
    {
        name = "chat errors",
        metric = "error_rate",
        twinId,
        windowMinutes = 10,
        comparator = "gt",
        threshold = 0.5,
        cooldownMinutes = 0,
        severity = "critical",
        channels = new object[] { new { type = "webhook", url, secret = SigningSecret } },
    };

    // An empty message is refused (400) and recorded on the ledger as a failed chat of the twin.
    private async Task FailChatsAsync(string twinId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await _user.SendAsync(Message($"/api/chat/{twinId}", new { message = "" }))).StatusCode);
        }
    }

    // Standard Webhooks, computed here independently of the app: base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")).
    private static void AssertSigned(ReceivedWebhook hook)
    {
        var key = Convert.FromBase64String(SigningSecret["whsec_".Length..]);
        var id = hook.Headers["webhook-id"];
        var timestamp = hook.Headers["webhook-timestamp"];
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(hook.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        Assert.Contains(expected, hook.Headers["webhook-signature"].Split(' '));
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
    }
}
