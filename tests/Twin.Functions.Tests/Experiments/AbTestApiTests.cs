using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twin.Functions.Tests.EndToEnd;
using Twin.Functions.Tests.Evaluation;
using Twin.Observability.Ledger;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Fakes.OpenAI;
using Xunit;

namespace Twin.Functions.Tests.Experiments;

/// <summary>
/// A/B testing end to end over the local host, with the fake LLM (variant B's model answers well, A's poorly, and the
/// LLM judges say so) and the fake Langfuse: many users chat, each sticks to a variant, the traces and ledger rows name
/// it, the results reach "B wins"; one running test per twin; stopping frees the twin; bad input is problem+json.
/// </summary>
[Collection(EvaluationCollection.Name)]
public sealed class AbTestApiTests : IAsyncLifetime
{
    private const string Good = "My favourite tool for tracing LLM applications is Langfuse: GOOD.";
    private const string Poor = "I would rather not say.";
    private FakeLangfuse _langfuse = null!;
    private FakeOpenAI _llm = null!;
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _langfuse = await FakeLangfuse.StartAsync();
        _llm = await FakeOpenAI.StartAsync();
        _llm.Responder = request => request.ResponseFormatType == "json_object"
            ? (request.Messages.Any(m => m.Text.Contains("GOOD", StringComparison.Ordinal))
                ? """{"score": 0.9, "reasoning": "On topic.", "violations": []}"""
                : """{"score": 0.2, "reasoning": "Evasive.", "violations": []}""")
            : request.Json.GetProperty("model").GetString() == "model-b" ? Good : Poor;
        _server = await TwinApp.StartAsync(EvaluationApp.Settings([
            .. _langfuse.AppSettings(),
            .. _llm.AppSettings("model-a"),
            ("Llm:TimeoutSeconds", "10"),
            ("Llm:MaxRetries", "0"),
            ("Chat:RateLimits:UserPerMinute", "1000")]));
        _admin = _server.CreateClient(TestKeys.Admin);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
        await _llm.DisposeAsync();
        await _langfuse.DisposeAsync();
    }

    [Fact]
    public async Task Users_stick_to_their_variant_and_the_results_say_B_wins()
    {
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, ["My favourite tool for tracing LLM applications is Langfuse."]);
        var created = await JsonAsync(await _admin.PostAsJsonAsync("/api/manage/ab-tests", new
        {
            name = "model b",
            twinId,
            variants = new object[] { new { name = "A", model = "model-a" }, new { name = "B", model = "model-b" } },
            primaryMetric = "relevance",
            secondaryMetrics = new[] { "latency_ms", "error_rate" },
            minSamples = 5,
        }), HttpStatusCode.Created);
        var testId = created.GetProperty("id").GetString()!;

        var conflict = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/ab-tests", new { name = "second", twinId, variants = new object[] { new { name = "A" }, new { name = "B" } }, primaryMetric = "relevance" }), HttpStatusCode.Conflict);
        Assert.Contains(testId, conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var chats = new List<(string User, string Variant, string TraceId, DateTimeOffset At)>();
        for (var i = 0; i < 24; i++)
        {
            var (variant, reply, traceId) = await ChatAsync(twinId, "user-" + i);
            Assert.Equal(variant == "B" ? Good : Poor, reply);
            chats.Add(("user-" + i, variant, traceId, DateTimeOffset.UtcNow));
        }

        Assert.Contains(chats, c => c.Variant == "A");
        Assert.Contains(chats, c => c.Variant == "B");
        var again = await ChatAsync(twinId, "user-3");
        Assert.Equal(chats[3].Variant, again.Variant);
        var assigned = await JsonAsync(await _admin.GetAsync($"/api/manage/ab-tests/{testId}/assign?userId=user-3"), HttpStatusCode.OK);
        Assert.Equal(chats[3].Variant, assigned.GetProperty("variant").GetString());

        // The trace and the ledger row name the test and the variant.
        var root = (await _langfuse.WaitForTraceAsync(chats[0].TraceId, 8, TimeSpan.FromSeconds(30))).Single(s => s.ParentSpanId is null);
        var tags = ((IReadOnlyList<object?>)root.Attribute("langfuse.trace.tags")!).Cast<string>().ToList();
        Assert.Contains("experiment:" + testId, tags);
        Assert.Contains("variant:" + chats[0].Variant, tags);
        Assert.Equal(testId, root.Attribute("langfuse.trace.metadata.experiment_id"));
        Assert.Equal(chats[0].Variant, root.Attribute("langfuse.trace.metadata.variant"));
        foreach (var chat in chats)
        {
            var row = await EvaluationApp.ScoredRowAsync(_server, chat.TraceId, chat.At);
            Assert.Equal((testId, chat.Variant), (row.Experiment, row.Variant));
        }

        var report = await JsonAsync(await _admin.GetAsync($"/api/manage/ab-tests/{testId}"), HttpStatusCode.OK);
        var results = report.GetProperty("results");
        Assert.Equal("B wins", results.GetProperty("verdict").GetString());
        var b = results.GetProperty("primary").GetProperty("variants")[1];
        Assert.Equal("B", b.GetProperty("variant").GetString());
        Assert.True(b.GetProperty("vsControl").GetProperty("difference").GetDouble() > 0.5);
        Assert.Equal(25, results.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("chats").GetInt32()));
        Assert.Equal(24, results.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("units").GetInt32()));
        Assert.Equal(2, results.GetProperty("secondary").GetArrayLength());

        var stopped = await JsonAsync(await _admin.PostAsync($"/api/manage/ab-tests/{testId}/stop", null), HttpStatusCode.OK);
        Assert.Equal("stopped", stopped.GetProperty("status").GetString());
        var afterStop = await _server.CreateClient(null).SendAsync(ChatClient.Message($"/api/chat/{twinId}", new { message = "Which tool?" }, ("Authorization", "Bearer " + TestJwt.Create("user-3"))));
        Assert.False((await ChatClient.JsonAsync(afterStop)).TryGetProperty("experiment", out var joined) && joined.ValueKind != JsonValueKind.Null);
        var list = await JsonAsync(await _admin.GetAsync("/api/manage/ab-tests"), HttpStatusCode.OK);
        Assert.Contains(list.GetProperty("data").EnumerateArray(), t => t.GetProperty("id").GetString() == testId && t.GetProperty("status").GetString() == "stopped");
        await JsonAsync(await _admin.PostAsJsonAsync("/api/manage/ab-tests", new { name = "next", twinId, variants = new object[] { new { name = "A" }, new { name = "B" } }, primaryMetric = "latency_ms" }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Bad_input_is_problem_json_naming_each_field()
    {
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, ["I bake bread."]);

        var invalid = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/ab-tests", new
        {
            name = "bad",
            twinId,
            variants = new object[] { new { name = "A", weight = 0 }, new { name = "a", weight = 1 } },
            primaryMetric = "relevance",
        }), HttpStatusCode.BadRequest);
        Assert.Superset(new HashSet<string> { "variants[0].weight", "variants[1].name" }, ProblemAssert.ErrorFields(invalid).ToHashSet());
        var tooMany = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/ab-tests", new
        {
            name = "many", twinId, variants = Enumerable.Range(0, 11).Select(i => new { name = "v" + i }).ToArray(), primaryMetric = "relevance",
        }), HttpStatusCode.BadRequest);
        Assert.Contains("variants", ProblemAssert.ErrorFields(tooMany));
        var unknownLabel = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/ab-tests", new
        {
            name = "label", twinId, variants = new object[] { new { name = "A" }, new { name = "B", promptLabel = "no-such-label" } }, primaryMetric = "relevance",
        }), HttpStatusCode.BadRequest);
        Assert.Contains("variants[1].promptLabel", ProblemAssert.ErrorFields(unknownLabel));
        await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/ab-tests", new { name = "x", twinId = "no-such-twin", variants = new object[] { new { name = "A" }, new { name = "B" } }, primaryMetric = "relevance" }), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await _admin.GetAsync("/api/manage/ab-tests/nope"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await _admin.GetAsync("/api/manage/ab-tests/nope/assign?userId=u"), HttpStatusCode.NotFound);
        using var anonymous = _server.CreateClient(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/manage/ab-tests")).StatusCode);
    }

    private async Task<(string Variant, string Reply, string TraceId)> ChatAsync(string twinId, string user)
    {
        using var client = _server.CreateClient(null);
        var response = await client.SendAsync(ChatClient.Message($"/api/chat/{twinId}", new { message = "Which tool do you like for tracing LLM applications?" }, ("Authorization", "Bearer " + TestJwt.Create(user))));
        var body = await ChatClient.JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return (body.GetProperty("experiment").GetProperty("variant").GetString()!, body.GetProperty("reply").GetString()!, ChatClient.TraceIdHeader(response));
    }

    private static Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected) => ApiResponses.JsonAsync(response, expected);
}
