using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twin.Testing;
using Xunit;
using static Twin.Functions.Tests.Playground.PlaygroundApi;

namespace Twin.Functions.Tests.Playground;

/// <summary>
/// The prompt playground end to end over the local host with the offline model (no LLM configured) and heuristic
/// judges, on an Azurite account of its own: a test answers with output, usage, scores and its trace, and leaves a
/// ledger row in environment <c>playground</c> that search finds and users' metrics leave out; requests that cannot
/// run are refused before they do.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PlaygroundOfflineTests : IAsyncLifetime
{
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await TwinApp.StartAsync(("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()));
        _admin = _server.CreateClient(TestKeys.Admin);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_test_answers_with_output_scores_and_its_trace_and_its_ledger_row_is_searchable_but_not_in_user_metrics()
    {
        var from = DateTimeOffset.UtcNow.AddMinutes(-5);
        var twinId = await CreateTwinAsync(_admin, "pg-", "Plato", "My favourite tool for tracing LLM applications is Langfuse.", "I bake sourdough bread every weekend.");

        var (run, response) = await PostOkAsync(_admin, TestRoute, new { twinId, message = "Which tool do you like for tracing LLM applications?" });

        Assert.Contains("Langfuse", run.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Equal("twin-offline", run.GetProperty("model").GetString());
        Assert.True(run.GetProperty("tokens").GetProperty("output").GetInt64() > 0);
        var traceId = run.GetProperty("traceId").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Equal(traceId, response.Headers.GetValues("X-Trace-Id").Single());
        Assert.Matches("^[0-9a-f]{16}$", run.GetProperty("observationId").GetString()!);
        Assert.Equal(("twin-system", "BuiltIn"), (run.GetProperty("prompt").GetProperty("name").GetString(), run.GetProperty("prompt").GetProperty("source").GetString()));
        Assert.Equal(["groundedness", "persona_consistency", "relevance"], run.GetProperty("scores").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.InRange(run.GetProperty("scores").GetProperty("relevance").GetDouble(), 0.3, 1);
        Assert.Equal("heuristic", run.GetProperty("scoreMethod").GetString());

        var range = $"from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))}&twinId={twinId}";
        var search = await _admin.GetFromJsonAsync<JsonElement>($"/api/metrics/traces/search?{range}&environment=playground&limit=50");
        var row = Assert.Single(search.GetProperty("data").EnumerateArray());
        Assert.Equal(traceId, row.GetProperty("traceId").GetString());
        var dashboard = await _admin.GetFromJsonAsync<JsonElement>($"/api/metrics/dashboard?{range}");
        Assert.Equal(0, dashboard.GetProperty("requests").GetInt64());
        Assert.Equal(0, dashboard.GetProperty("tokens").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Without_a_twin_an_inline_prompt_runs_as_the_neutral_playground_twin_and_judge_false_skips_the_judges()
    {
        var (run, _) = await PostOkAsync(_admin, TestRoute, new { prompt = "You are {{twin_name}}. Answer in {{language}}.", variables = new { language = "French" }, message = "Hello there", judge = false });

        Assert.Equal("playground", run.GetProperty("twinId").GetString());
        Assert.False(string.IsNullOrEmpty(run.GetProperty("output").GetString()));
        Assert.Equal(("playground", "Inline"), (run.GetProperty("prompt").GetProperty("name").GetString(), run.GetProperty("prompt").GetProperty("source").GetString()));
        Assert.Empty(run.GetProperty("scores").EnumerateObject());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("scoreMethod").ValueKind);
    }

    [Fact]
    public async Task A_missing_variable_an_unknown_prompt_label_and_an_unknown_twin_are_refused_before_anything_runs()
    {
        var missing = await ProblemAssert.IsProblemAsync(
            await _admin.PostAsJsonAsync(TestRoute, new { prompt = new { type = "chat", messages = new[] { new { role = "system", content = "Be {{tone}} and {{brief}}." } } }, variables = new { brief = "short" }, message = "Hi" }),
            HttpStatusCode.BadRequest);
        var variableErrors = missing.GetProperty("errors").GetProperty("variables").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(variableErrors, e => e.Contains("{{tone}}", StringComparison.Ordinal));
        Assert.DoesNotContain(variableErrors, e => e.Contains("{{brief}}", StringComparison.Ordinal));

        var label = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync(TestRoute, new { promptName = "twin-system", promptLabel = "no-such-label", message = "Hi" }), HttpStatusCode.BadRequest);
        Assert.Equal(["promptLabel"], ProblemAssert.ErrorFields(label));
        var name = await ProblemAssert.IsProblemAsync(
            await _admin.PostAsJsonAsync(CompareRoute, new { variants = new object[] { new { }, new { promptName = "no-such-prompt" } }, inputs = new[] { new { message = "Hi" } } }),
            HttpStatusCode.BadRequest);
        Assert.Equal(["variants[1].promptName"], ProblemAssert.ErrorFields(name));

        await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync(TestRoute, new { twinId = "no-such-twin", message = "Hi" }), HttpStatusCode.NotFound);
        var tooMany = await ProblemAssert.IsProblemAsync(
            await _admin.PostAsJsonAsync(CompareRoute, new { variants = Enumerable.Range(0, 6).Select(i => new { name = $"v{i}" }), inputs = new[] { new { message = "" } }, }),
            HttpStatusCode.BadRequest);
        Assert.Equal(["inputs[0].message", "variants"], ProblemAssert.ErrorFields(tooMany).Order(StringComparer.Ordinal));
        var temperature = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync(TestRoute, new { message = "Hi", temperature = 2.5 }), HttpStatusCode.BadRequest);
        Assert.Equal(["temperature"], ProblemAssert.ErrorFields(temperature));
    }

    [Theory]
    [InlineData(TestRoute)]
    [InlineData(CompareRoute)]
    public async Task Anonymous_callers_are_refused(string route)
    {
        var response = await _server.Client.PostAsJsonAsync(route, new { message = "Hi" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
