using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Twin.Testing;
using Twin.Testing.Fakes;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Monitoring;

/// <summary>
/// Synthetic monitoring end to end over the local host on a fixed loopback port (so the local host tells the worker
/// its WEBSITE_HOSTNAME, which twin checks chat through) and an Azurite account of its own: a twin check chats with
/// the synthetic key and passes, its chats are synthetic and out of users' metrics; a failing URL check run by the
/// timer fires a synthetic_failure_rate alert; stopped monitoring runs nothing; bad checks are refused.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MonitoringApiTests : IAsyncLifetime
{
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;
    private HttpClient _user = null!;
    private FakeWebhookReceiver _receiver = null!;
    private string _baseUrl = null!;

    public async Task InitializeAsync()
    {
        _receiver = await FakeWebhookReceiver.StartAsync();
        _baseUrl = $"http://127.0.0.1:{FreePort()}";
        _server = await TwinApp.StartAsync(
            ("urls", _baseUrl),
            ("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()),
            ("Monitoring:CheckSchedule", "* * * * * *"),
            ("Alerts:EvaluationSchedule", "* * * * * *"),
            ("Alerts:EvaluationSlotSeconds", "1"),
            ("Alerts:SecretKey", Convert.ToBase64String(SHA256.HashData("monitoring-api-tests"u8))),
            ("Outbound:AllowedHosts:0", "127.0.0.1"));
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
    public async Task A_twin_check_chats_as_the_synthetic_user_and_stays_out_of_users_metrics()
    {
        var twinId = await NewTwinAsync();
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        (await _user.SendAsync(Message($"/api/chat/{twinId}", new { message = "Which tool do you like for tracing?" }))).EnsureSuccessStatusCode();
        var check = await CreateCheckAsync(new { name = "twin answers", twinId, expectContains = "Langfuse", minScore = 0.05, maxLatencyMs = 30_000, message = "Which tool do you like for tracing?" });

        var listed = await JsonAsync(await _admin.GetAsync("/api/manage/monitoring/checks"));
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetString() == check && c.GetProperty("kind").GetString() == "twin");
        var run = await JsonAsync(await _admin.PostAsync($"/api/manage/monitoring/run-checks?checkId={check}", null));
        var result = Assert.Single(run.GetProperty("data").EnumerateArray());
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.InRange(result.GetProperty("score").GetDouble(), 0.05, 1);
        var traceId = result.GetProperty("traceId").GetString()!;

        var to = DateTimeOffset.UtcNow.AddMinutes(2);
        var range = $"from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";
        var synthetic = await JsonAsync(await _admin.GetAsync($"/api/metrics/traces/search?{range}&twinId={twinId}&environment=synthetic"));
        var hit = Assert.Single(synthetic.GetProperty("data").EnumerateArray());
        Assert.Equal(traceId, hit.GetProperty("traceId").GetString());
        Assert.Equal(TestKeys.SyntheticUserId, hit.GetProperty("userId").GetString());

        var latency = await JsonAsync(await _admin.GetAsync($"/api/metrics/latency?{range}&twinId={twinId}"));
        Assert.Equal(1, latency.GetProperty("latency").GetProperty("count").GetInt64());

        var status = await JsonAsync(await _admin.GetAsync("/api/manage/monitoring/status"));
        var entry = Assert.Single(status.GetProperty("checks").EnumerateArray(), c => c.GetProperty("checkId").GetString() == check);
        Assert.Equal(traceId, entry.GetProperty("last").GetProperty("traceId").GetString());
        Assert.Equal(1.0, entry.GetProperty("uptime24h").GetDouble());
        Assert.Equal(0, entry.GetProperty("consecutiveFailures").GetInt32());
    }

    [Fact]
    public async Task A_failing_url_check_run_by_the_timer_fires_a_synthetic_failure_rate_alert()
    {
        var check = await CreateCheckAsync(new { name = "missing page", url = $"{_baseUrl}/api/no-such-page", expectStatus = 200, intervalMinutes = 1 });
        var rule = await _admin.PostAsJsonAsync("/api/manage/alerts/rules", new
        {
            name = "synthetic failures",
            metric = "synthetic_failure_rate",
            windowMinutes = 10,
            comparator = "gt",
            threshold = 0.5,
            channels = new object[] { new { type = "webhook", url = _receiver.Url("/synthetic"), secret = "synthetic-tests-secret" } },
        });
        Assert.Equal(HttpStatusCode.Created, rule.StatusCode);
        (await _admin.PostAsync("/api/manage/monitoring/start", null)).EnsureSuccessStatusCode();
        (await _admin.PostAsync("/api/manage/alerts/start-monitoring", null)).EnsureSuccessStatusCode();

        await Eventually.TrueAsync(() => _receiver.Requests.Any(r => r.Path == "/synthetic"), TimeSpan.FromSeconds(30), "the synthetic_failure_rate alert");
        var hook = _receiver.Requests.First(r => r.Path == "/synthetic").Json;
        Assert.Equal("alert.firing", hook.GetProperty("type").GetString());
        Assert.Equal("synthetic_failure_rate", hook.GetProperty("data").GetProperty("metric").GetString());

        var status = await JsonAsync(await _admin.GetAsync("/api/manage/monitoring/status"));
        Assert.True(status.GetProperty("running").GetBoolean());
        var entry = Assert.Single(status.GetProperty("checks").EnumerateArray(), c => c.GetProperty("checkId").GetString() == check);
        Assert.False(entry.GetProperty("last").GetProperty("ok").GetBoolean());
        Assert.Contains("status 404", entry.GetProperty("last").GetProperty("failures")[0].GetString(), StringComparison.Ordinal);
        Assert.True(entry.GetProperty("consecutiveFailures").GetInt32() >= 1);
        Assert.Equal(0.0, entry.GetProperty("uptime24h").GetDouble());
    }

    [Fact]
    public async Task Stopped_monitoring_runs_no_check()
    {
        var stopped = await JsonAsync(await _admin.PostAsync("/api/manage/monitoring/stop", null));
        Assert.False(stopped.GetProperty("running").GetBoolean());
        var check = await CreateCheckAsync(new { name = "idle", url = $"{_baseUrl}/api/health" });

        await Task.Delay(TimeSpan.FromSeconds(3));

        var status = await JsonAsync(await _admin.GetAsync("/api/manage/monitoring/status"));
        var entry = Assert.Single(status.GetProperty("checks").EnumerateArray(), c => c.GetProperty("checkId").GetString() == check);
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("last").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/manage/monitoring/checks/{check}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync($"/api/manage/monitoring/checks/{check}")).StatusCode);
    }

    [Theory]
    [InlineData("{\"name\":\"both\",\"twinId\":\"demo\",\"url\":\"https://example.com\"}", "twinId")]
    [InlineData("{\"name\":\"neither\"}", "twinId")]
    [InlineData("{\"name\":\"metadata\",\"url\":\"https://169.254.169.254/latest\"}", "url")]
    [InlineData("{\"name\":\"private\",\"url\":\"https://10.1.2.3/\"}", "url")]
    [InlineData("{\"name\":\"\",\"twinId\":\"demo\",\"intervalMinutes\":0}", "intervalMinutes")]
    public async Task Invalid_checks_are_refused_naming_the_field(string body, string field)
    {
        var response = await _admin.PostAsync("/api/manage/monitoring/checks", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, body);
        Assert.Contains(field, ProblemAssert.ErrorFields(problem));
    }

    private async Task<string> NewTwinAsync()
    {
        var twinId = "mo-" + Guid.NewGuid().ToString("N")[..10];
        (await _admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name = "Mona", persona = "You are Mona.", knowledge = new[] { "Mona likes tracing with Langfuse." } })).EnsureSuccessStatusCode();
        return twinId;
    }

    private async Task<string> CreateCheckAsync(object check)
    {
        var response = await _admin.PostAsJsonAsync("/api/manage/monitoring/checks", check);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
