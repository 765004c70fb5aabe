using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Ledger;
using Twin.Observability.Metrics;
using Twin.Testing;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Metrics;

/// <summary>
/// The metrics routes over the local host, on an Azurite account of their own (the rollup watermark is one per
/// account): chats → every route answers the same numbers as the ledger holds, before and after a rollup.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MetricsApiTests : IAsyncLifetime
{
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        _server = await TwinApp.StartAsync(("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()));
        _admin = _server.CreateClient(TestKeys.Admin);
        _user = _server.CreateClient(TestKeys.User);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        _user.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Chats_give_the_same_numbers_on_every_route_and_in_the_ledger_before_and_after_the_rollup()
    {
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        var twinId = "m-" + Guid.NewGuid().ToString("N")[..10];
        (await _admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name = "Metra", persona = "You are Metra.", knowledge = new[] { "Metra likes tracing with Langfuse." } })).EnsureSuccessStatusCode();
        for (var i = 0; i < 4; i++)
        {
            (await _user.SendAsync(Message($"/api/chat/{twinId}", new { message = $"What do you like for tracing? ({i})" }))).EnsureSuccessStatusCode();
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await _user.SendAsync(Message($"/api/chat/{twinId}", new { message = "" }))).StatusCode);
        var query = $"?twinId={twinId}&from={Uri.EscapeDataString(from.ToString("O"))}&to={DateTimeOffset.UtcNow.AddMinutes(5):yyyy-MM-ddTHH:mm:ssZ}&interval=minute";

        var before = await ReadAllAsync(query);
        var ledgerRows = await LedgerRowsAsync(twinId, from);
        await RollUpAsAfterAsync(TimeSpan.FromMinutes(3));
        var after = await ReadAllAsync(query);

        Assert.Equal(5, ledgerRows.Count);
        Assert.All(ledgerRows.Where(r => r.Status == "ok"), r => Assert.Contains("\"generate\":", r.NodeTimings, StringComparison.Ordinal));
        Assert.All(ledgerRows.Where(r => r.Status == "ok"), r => Assert.StartsWith("What do you like for tracing?", r.Message, StringComparison.Ordinal));
        foreach (var (numbers, source) in new[] { (before, "raw ledger"), (after, "rollups") })
        {
            Assert.True(numbers.Dashboard.GetProperty("requests").GetInt64() == 5, $"{source}: {numbers.Dashboard}");
            Assert.Equal(1, numbers.Dashboard.GetProperty("errors").GetInt64());
            Assert.Equal(4, numbers.Dashboard.GetProperty("latency").GetProperty("count").GetInt64());
            Assert.Equal(4, numbers.Latency.GetProperty("latency").GetProperty("count").GetInt64());
            Assert.Equal(5, numbers.Errors.GetProperty("total").GetInt64());
            Assert.Equal(1, numbers.Errors.GetProperty("byType").GetProperty("validation").GetInt64());
            Assert.Equal(0.2, numbers.Errors.GetProperty("rate").GetDouble());
            Assert.Equal(ledgerRows.Sum(r => r.InputTokens + r.OutputTokens), numbers.Dashboard.GetProperty("tokens").GetProperty("total").GetInt64());
            Assert.Equal(4, numbers.Latency.GetProperty("series").EnumerateArray().Sum(p => p.GetProperty("latency").GetProperty("count").GetInt64()));
            Assert.Equal(JsonValueKind.Object, numbers.Quality.GetProperty("scores").ValueKind);
        }

        var found = await JsonAsync(await _admin.GetAsync($"/api/metrics/traces/search?twinId={twinId}&from={Uri.EscapeDataString(from.ToString("O"))}"));
        var failed = await JsonAsync(await _admin.GetAsync($"/api/metrics/traces/search?twinId={twinId}&status=error&text=tracing"));
        var byText = await JsonAsync(await _admin.GetAsync($"/api/metrics/traces/search?twinId={twinId}&text=LIKE%20FOR%20TRACING%3F%20(2)"));
        Assert.Equal(ledgerRows.Select(r => r.TraceId).Order(), found.GetProperty("data").EnumerateArray().Select(h => h.GetProperty("traceId").GetString()!).Order());
        Assert.Empty(failed.GetProperty("data").EnumerateArray());
        Assert.Equal("What do you like for tracing? (2)", Assert.Single(byText.GetProperty("data").EnumerateArray()).GetProperty("message").GetString());
        Assert.Equal(0, before.Dashboard.GetProperty("query").GetProperty("source").GetProperty("rollupRows").GetInt64());
        Assert.True(after.Dashboard.GetProperty("query").GetProperty("source").GetProperty("rollupRows").GetInt64() > 0, after.Dashboard.ToString());
        Assert.Equal(0, after.Dashboard.GetProperty("query").GetProperty("source").GetProperty("ledgerRows").GetInt64());
        Assert.Equal(before.Latency.GetProperty("latency").GetProperty("p95").GetDouble(), after.Latency.GetProperty("latency").GetProperty("p95").GetDouble());
    }

    [Theory]
    [InlineData("?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "from")]
    [InlineData("?interval=fortnight", "interval")]
    [InlineData("?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=day", "to")]
    [InlineData("?from=not-a-time", "from")]
    public async Task Bad_ranges_are_problems_naming_the_field(string query, string field)
    {
        // The search has no buckets, so no interval to refuse.
        foreach (var route in Routes.Where(r => field != "interval" || r != "traces/search"))
        {
            var problem = await ProblemAssert.IsProblemAsync(await _admin.GetAsync($"/api/metrics/{route}{query}"), HttpStatusCode.BadRequest, route);
            Assert.Contains(field, ProblemAssert.ErrorFields(problem));
        }
    }

    private static readonly string[] Routes = ["dashboard", "latency", "errors", "quality", "persona", "dataset", "traces/search"];

    private async Task<Numbers> ReadAllAsync(string query)
    {
        async Task<JsonElement> Get(string route)
        {
            var response = await _admin.GetAsync($"/api/metrics/{route}{query}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return await JsonAsync(response);
        }

        return new Numbers(await Get("dashboard"), await Get("latency"), await Get("errors"), await Get("quality"));
    }

    private async Task<IReadOnlyList<LedgerEntry>> LedgerRowsAsync(string twinId, DateTimeOffset from)
    {
        var rows = new List<LedgerEntry>();
        await foreach (var entity in _server.Services.GetRequiredService<LedgerStore>().RowsBetweenAsync(from, DateTimeOffset.UtcNow.AddMinutes(1), twinId, default))
        {
            rows.Add(LedgerRows.ToEntry(entity));
        }

        return rows;
    }

    // The rollup as the timer would run it once the chats' minutes have settled: a clock that far ahead, in this account.
    private async Task RollUpAsAfterAsync(TimeSpan later)
    {
        var services = _server.Services;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow + later);
        var rollup = ActivatorUtilities.CreateInstance<MetricsRollup>(services, clock, Options.Create(new MetricsOptions { SettleSeconds = 0 }), NullLogger<MetricsRollup>.Instance);
        Assert.NotNull(await rollup.RunAsync(default));
    }

    private sealed record Numbers(JsonElement Dashboard, JsonElement Latency, JsonElement Errors, JsonElement Quality);
}
