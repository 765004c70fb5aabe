using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twin.Testing;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Metrics;

/// <summary>Cost tracking over the local host, on an Azurite account of its own: usage from outside, prices, budgets.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CostsApiTests : IAsyncLifetime
{
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await TwinApp.StartAsync(
            ("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()),
            ("Llm:Prices:batch-model:InputPerMillionUsd", "2"),
            ("Llm:Prices:batch-model:OutputPerMillionUsd", "8"),
            ("Costs:Budgets:demo", "10"));
        _admin = _server.CreateClient(TestKeys.Admin);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Tracked_usage_is_one_ledger_row_per_key_and_shows_in_the_summary_the_models_and_the_budget()
    {
        var usage = new { model = "batch-model-2026-01-01", inputTokens = 500_000, outputTokens = 125_000, twinId = "demo", idempotencyKey = "nightly-" + Guid.NewGuid() };

        var first = await _admin.PostAsJsonAsync("/api/manage/costs/track", usage);
        var repeat = await _admin.PostAsJsonAsync("/api/manage/costs/track", usage);
        var range = $"from={DateTimeOffset.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}&to={DateTimeOffset.UtcNow.AddMinutes(5):yyyy-MM-ddTHH:mm:ssZ}";
        var byModel = await JsonAsync(await _admin.GetAsync($"/api/manage/costs/summary?groupBy=model&{range}"));
        var byTwin = await JsonAsync(await _admin.GetAsync($"/api/manage/costs/summary?groupBy=twin&twinId=demo&{range}"));
        var models = await JsonAsync(await _admin.GetAsync($"/api/manage/costs/models?{range}"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        var tracked = await JsonAsync(first);
        Assert.Equal(2.0, tracked.GetProperty("costUsd").GetDouble());
        Assert.Equal("batch-model", tracked.GetProperty("pricedAs").GetString());
        Assert.Equal(tracked.GetProperty("traceId").GetString(), (await JsonAsync(repeat)).GetProperty("traceId").GetString());
        var group = Assert.Single(byModel.GetProperty("groups").EnumerateArray(), g => g.GetProperty("key").GetString() == "batch-model-2026-01-01");
        Assert.Equal((1L, 2.0), (group.GetProperty("requests").GetInt64(), group.GetProperty("costUsd").GetDouble()));
        Assert.Equal(2.0, byTwin.GetProperty("costUsd").GetDouble());
        var budget = Assert.Single(byTwin.GetProperty("budgets").EnumerateArray());
        Assert.Equal(("demo", "ok", 20.0), (budget.GetProperty("twinId").GetString(), budget.GetProperty("status").GetString(), budget.GetProperty("percentUsed").GetDouble()));
        Assert.Contains(models.GetProperty("prices").EnumerateArray(), p => p.GetProperty("model").GetString() == "batch-model" && p.GetProperty("current").GetProperty("inputPerMillionUsd").GetDecimal() == 2m);
        Assert.Contains(models.GetProperty("models").EnumerateArray(), m => m.GetProperty("key").GetString() == "batch-model-2026-01-01");
    }

    [Fact]
    public async Task Bad_input_is_a_problem_naming_the_field()
    {
        var badGroup = await ProblemAssert.IsProblemAsync(await _admin.GetAsync("/api/manage/costs/summary?groupBy=region"), HttpStatusCode.BadRequest);
        var badUsage = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/costs/track", new { inputTokens = -5, outputTokens = 1 }), HttpStatusCode.BadRequest);
        var notJson = await _admin.PostAsync("/api/manage/costs/track", new StringContent("model=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Contains("groupBy", ProblemAssert.ErrorFields(badGroup));
        Assert.Equal(["inputTokens", "model"], ProblemAssert.ErrorFields(badUsage).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
    }
}
