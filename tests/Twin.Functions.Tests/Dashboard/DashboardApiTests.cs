using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Ledger;
using Twin.Testing;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Dashboard;

/// <summary>
/// One app on an Azurite account of its own for the dashboard's JSON routes. The rollup timer is off, so every number
/// comes from the raw ledger, including rows the tests write into the past (a rollup would have passed them by).
/// </summary>
public sealed class DashboardApiFixture : IAsyncLifetime
{
    public LocalHostServer Server { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient User { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TwinApp.StartAsync(
            ("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()),
            ("AzureWebJobs.RollupMetrics.Disabled", "true"));
        Admin = Server.CreateClient(TestKeys.Admin);
        User = Server.CreateClient(TestKeys.User);
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        User?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

/// <summary>The dashboard's admin JSON routes over the local host: overview, recent traces, active alerts.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DashboardApiTests(DashboardApiFixture app) : IClassFixture<DashboardApiFixture>
{
    private LedgerStore Ledger => app.Server.Services.GetRequiredService<LedgerStore>();

    [Fact]
    public async Task The_overview_gives_the_metrics_dashboard_numbers_beside_the_previous_period_and_the_change()
    {
        var twinId = await DashboardChats.CreateTwinAsync(app.Admin);
        var now = DateTimeOffset.UtcNow;
        var from = Minute(now) - TimeSpan.FromMinutes(30);
        var to = Minute(now) + TimeSpan.FromMinutes(5);
        var previousFrom = from - (to - from);

        // The previous period: two successful chats with a cost (the offline model's chats cost nothing).
        var earlier = new[] { DashboardChats.LedgerRow(twinId, from - TimeSpan.FromMinutes(10), 400, 0.002m), DashboardChats.LedgerRow(twinId, from - TimeSpan.FromMinutes(20), 600, 0.001m) };
        foreach (var row in earlier)
        {
            await Ledger.WriteAsync(row, default);
        }

        await DashboardChats.ScoreAsync(app.Server, earlier[0], new Dictionary<string, double> { ["relevance"] = 0.5 });
        await DashboardChats.ScoreAsync(app.Server, earlier[1], new Dictionary<string, double> { ["relevance"] = 0.7 });

        // This period: four chats and one refused, through the chat route; scores on the chats' rows.
        await DashboardChats.ChatAsync(app.User, twinId, 4);
        await DashboardChats.RefusedChatAsync(app.User, twinId);
        foreach (var row in (await DashboardChats.LedgerRowsAsync(app.Server, twinId, from, to)).Where(r => r.Status == "ok"))
        {
            await DashboardChats.ScoreAsync(app.Server, row, new Dictionary<string, double> { ["relevance"] = 0.9, ["groundedness"] = 0.8 });
        }

        var query = $"?twinId={twinId}&from={Iso(from)}&to={Iso(to)}&interval=minute";
        var overview = await GetAsync($"/api/dashboard/overview{query}");
        var dashboard = await GetAsync($"/api/metrics/dashboard{query}");
        var previous = await GetAsync($"/api/metrics/dashboard?twinId={twinId}&from={Iso(previousFrom)}&to={Iso(from)}&interval=minute");

        Assert.Equal(dashboard.GetProperty("query").GetProperty("from").GetDateTimeOffset(), overview.GetProperty("query").GetProperty("from").GetDateTimeOffset());
        Assert.Equal(previousFrom, overview.GetProperty("previousQuery").GetProperty("from").GetDateTimeOffset());
        Assert.Equal(from, overview.GetProperty("previousQuery").GetProperty("to").GetDateTimeOffset());

        AssertHeadline(overview, "requests", 5, 2, 3, 150);
        Assert.Equal(dashboard.GetProperty("requests").GetDouble(), Value(overview, "requests"));
        Assert.Equal(previous.GetProperty("requests").GetDouble(), Previous(overview, "requests"));
        // Nothing to compare a percentage with when the previous value is 0; the absolute change still says it.
        AssertHeadline(overview, "errors", 1, 0, 1, null);
        AssertHeadline(overview, "errorRate", dashboard.GetProperty("errorRate").GetDouble(), 0, dashboard.GetProperty("errorRate").GetDouble(), null);
        Assert.Equal(0.2, Value(overview, "errorRate"));
        foreach (var (headline, percentile) in new[] { ("latencyP50Ms", "p50"), ("latencyP95Ms", "p95") })
        {
            var value = dashboard.GetProperty("latency").GetProperty(percentile).GetDouble();
            var before = previous.GetProperty("latency").GetProperty(percentile).GetDouble();
            AssertHeadline(overview, headline, value, before, Math.Round(value - before, 6), Math.Round((value - before) / before * 100, 2));
        }

        AssertHeadline(overview, "costUsd", 0, 0.003, -0.003, -100);
        Assert.Equal(dashboard.GetProperty("costUsd").GetDouble(), Value(overview, "costUsd"));
        var tokens = dashboard.GetProperty("tokens").GetProperty("total").GetDouble();
        AssertHeadline(overview, "tokens", tokens, 140, tokens - 140, Math.Round((tokens - 140) / 140 * 100, 2));

        var scores = overview.GetProperty("scores");
        Assert.Equal(dashboard.GetProperty("scores").GetProperty("relevance").GetProperty("mean").GetDouble(), scores.GetProperty("relevance").GetProperty("value").GetDouble());
        AssertHeadline(scores, "relevance", 0.9, 0.6, 0.3, 50);
        // A score the previous period never had: no previous value, no change.
        AssertHeadline(scores, "groundedness", 0.8, null, null, null);
    }

    [Fact]
    public async Task Recent_traces_are_the_newest_chats_first_with_how_far_the_ledger_was_read()
    {
        var twinId = await DashboardChats.CreateTwinAsync(app.Admin);
        var now = DateTimeOffset.UtcNow;
        var dayAgo = DashboardChats.LedgerRow(twinId, now - TimeSpan.FromHours(30), 300, null);
        var tooOld = DashboardChats.LedgerRow(twinId, now - TimeSpan.FromDays(3), 300, null);
        await Ledger.WriteAsync(dayAgo, default);
        await Ledger.WriteAsync(tooOld, default);
        var chats = await DashboardChats.ChatAsync(app.User, twinId, 5);

        var newest = await GetAsync($"/api/dashboard/traces/recent?twinId={twinId}&limit=3");
        var all = await GetAsync($"/api/dashboard/traces/recent?twinId={twinId}");

        Assert.Equal(chats.Reverse().Take(3), TraceIds(newest));
        Assert.True(newest.GetProperty("scanned").GetProperty("hours").GetInt32() is >= 1 and < 48, newest.ToString());
        var first = newest.GetProperty("data")[0];
        Assert.Equal(twinId, first.GetProperty("twinId").GetString());
        Assert.Equal("chat", first.GetProperty("endpoint").GetString());
        Assert.Equal("ok", first.GetProperty("status").GetString());
        Assert.Equal("twin-offline", first.GetProperty("model").GetString());
        Assert.Matches("^[0-9a-f]{16}$", first.GetProperty("observationId").GetString());
        Assert.True(first.GetProperty("tokens").GetProperty("total").GetInt64() > 0);
        Assert.True(first.GetProperty("latencyMs").GetInt64() >= 0);
        // Langfuse is not configured in the tests' apps: no link.
        Assert.Equal(JsonValueKind.Null, first.GetProperty("langfuseUrl").ValueKind);

        // Fewer rows than the default limit of 20: all 48 hours read; the row of three days ago is beyond them.
        Assert.Equal(chats.Reverse().Append(dayAgo.TraceId), TraceIds(all));
        Assert.Equal(20, all.GetProperty("query").GetProperty("limit").GetInt32());
        var scanned = all.GetProperty("scanned");
        Assert.Equal(48, scanned.GetProperty("hours").GetInt32());
        Assert.Equal(TimeSpan.FromHours(48), scanned.GetProperty("to").GetDateTimeOffset() - scanned.GetProperty("from").GetDateTimeOffset());
        Assert.True(scanned.GetProperty("from").GetDateTimeOffset() <= dayAgo.Timestamp);
        var times = all.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("timestamp").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("ten")]
    [InlineData("2.5")]
    public async Task A_limit_outside_1_to_100_is_a_problem_naming_limit(string limit)
    {
        var problem = await ProblemAssert.IsProblemAsync(await app.Admin.GetAsync($"/api/dashboard/traces/recent?limit={limit}"), HttpStatusCode.BadRequest);

        Assert.Equal(["limit"], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task The_largest_limit_is_accepted()
    {
        var answer = await GetAsync("/api/dashboard/traces/recent?limit=100");

        Assert.Equal(100, answer.GetProperty("query").GetProperty("limit").GetInt32());
    }

    [Theory]
    [InlineData("?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "from")]
    [InlineData("?interval=fortnight", "interval")]
    [InlineData("?to=yesterday", "to")]
    public async Task A_bad_overview_range_is_a_problem_naming_the_field(string query, string field)
    {
        var problem = await ProblemAssert.IsProblemAsync(await app.Admin.GetAsync($"/api/dashboard/overview{query}"), HttpStatusCode.BadRequest);

        Assert.Contains(field, ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task Active_alerts_are_an_empty_list_with_a_note_while_monitoring_is_stopped()
    {
        var alerts = await GetAsync("/api/dashboard/alerts/active");

        Assert.Equal(0, alerts.GetProperty("data").GetArrayLength());
        Assert.Contains("monitoring is stopped", alerts.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        var response = await app.Admin.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        Assert.True(response.Headers.CacheControl?.NoStore, $"{path} must be no-store");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static void AssertHeadline(JsonElement parent, string name, double? value, double? previous, double? change, double? changePercent)
    {
        var headline = parent.GetProperty(name);
        Assert.True(
            Number(headline, "value") == value && Number(headline, "previous") == previous && Number(headline, "change") == change && Number(headline, "changePercent") == changePercent,
            $"{name}: expected value {value}, previous {previous}, change {change}, changePercent {changePercent}; got {headline}");
    }

    private static double? Number(JsonElement headline, string field) =>
        headline.GetProperty(field) is { ValueKind: JsonValueKind.Number } number ? number.GetDouble() : null;

    private static double? Value(JsonElement overview, string name) => Number(overview.GetProperty(name), "value");

    private static double? Previous(JsonElement overview, string name) => Number(overview.GetProperty(name), "previous");

    private static List<string> TraceIds(JsonElement answer) =>
        answer.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("traceId").GetString()!).ToList();

    private static DateTimeOffset Minute(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
}
