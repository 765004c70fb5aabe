using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Ledger;
using Twin.Testing;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Compare;

/// <summary>
/// Trace comparison end to end over the local host, offline, on an Azurite account of its own: two real chats side by
/// side with their deltas, every pipeline node's timing and a word diff of the replies; a batch whose unknown id fails
/// only its pair; unknown ids are 404 naming them, malformed ones 400 naming the field; admins only.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TraceCompareApiTests : IAsyncLifetime
{
    private static readonly string[] PipelineNodes = ["load-history", "retrieve-knowledge", "select-few-shot", "build-prompt", "generate", "post-process", "save-history"];
    private const string Unknown = "0123456789abcdef0123456789abcdef";

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
    public async Task Two_chats_compare_side_by_side_with_deltas_node_timings_and_a_diff_of_the_replies()
    {
        var twinId = await CreateTwinAsync();
        var a = await ChatAsync(twinId, "Which tool do you like for tracing LLM applications?");
        var b = await ChatAsync(twinId, "What bread do you bake every weekend?");
        await ScoreAsync(a.TraceId, new Dictionary<string, double> { ["relevance"] = 0.9, ["groundedness"] = 0.8 });
        await ScoreAsync(b.TraceId, new Dictionary<string, double> { ["relevance"] = 0.6 });

        var response = await _admin.GetAsync($"/api/manage/traces/compare/{a.TraceId}/{b.TraceId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        foreach (var (side, chat) in new[] { ("a", a), ("b", b) })
        {
            var s = body.GetProperty(side);
            Assert.Equal(chat.TraceId, s.GetProperty("traceId").GetString());
            Assert.Equal(chat.ObservationId, s.GetProperty("observationId").GetString());
            Assert.Equal(twinId, s.GetProperty("twinId").GetString());
            Assert.Equal("twin-offline", s.GetProperty("model").GetString());
            Assert.Equal("ok", s.GetProperty("status").GetString());
            Assert.True(s.GetProperty("tokens").GetProperty("output").GetInt64() > 0);
            Assert.True(s.TryGetProperty("prompt", out _));
            Assert.Equal("ledger", s.GetProperty("textSource").GetString());
        }

        var deltas = body.GetProperty("deltas");
        Assert.Equal(body.GetProperty("b").GetProperty("latencyMs").GetInt64() - body.GetProperty("a").GetProperty("latencyMs").GetInt64(), deltas.GetProperty("latencyMs").GetInt64());
        Assert.Equal(-0.3, deltas.GetProperty("scores").GetProperty("relevance").GetDouble(), 6);
        Assert.False(deltas.GetProperty("scores").TryGetProperty("groundedness", out _));

        var nodes = body.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(PipelineNodes, nodes.Select(n => n.GetProperty("node").GetString()));
        Assert.All(nodes, n => Assert.Equal(n.GetProperty("bMs").GetInt64() - n.GetProperty("aMs").GetInt64(), n.GetProperty("deltaMs").GetInt64()));

        var reply = body.GetProperty("reply");
        Assert.True(reply.GetProperty("changed").GetBoolean());
        Assert.InRange(reply.GetProperty("similarity").GetDouble(), 0, 0.99);
        var runs = reply.GetProperty("runs").EnumerateArray().Select(r => (Op: r.GetProperty("op").GetString(), Text: r.GetProperty("text").GetString())).ToList();
        Assert.Contains(runs, r => r.Op == "delete");
        Assert.Contains(runs, r => r.Op == "insert");
        Assert.Equal(a.Reply, string.Concat(runs.Where(r => r.Op != "insert").Select(r => r.Text)));
        Assert.Equal(b.Reply, string.Concat(runs.Where(r => r.Op != "delete").Select(r => r.Text)));
        Assert.True(body.GetProperty("message").GetProperty("changed").GetBoolean());

        // A chat named by trace and observation, found near the time the caller gives.
        var at = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));
        var named = await JsonAsync(await _admin.GetAsync($"/api/manage/traces/compare/{a.TraceId}:{a.ObservationId}/{a.TraceId}?at1={at}&at2={at}"));
        Assert.False(named.GetProperty("reply").GetProperty("changed").GetBoolean());
        Assert.Equal(1, named.GetProperty("reply").GetProperty("similarity").GetDouble());
        Assert.All(named.GetProperty("nodes").EnumerateArray(), n => Assert.Equal(0, n.GetProperty("deltaMs").GetInt64()));
    }

    [Fact]
    public async Task A_batch_reports_an_unknown_id_in_its_pair_and_aggregates_the_rest()
    {
        var twinId = await CreateTwinAsync();
        var a = await ChatAsync(twinId, "Which tool do you like for tracing LLM applications?");
        var b = await ChatAsync(twinId, "What bread do you bake every weekend?");

        var response = await _admin.PostAsJsonAsync("/api/manage/traces/compare/batch", new { pairs = new[] { new[] { a.TraceId, b.TraceId }, new[] { a.TraceId, Unknown } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        var pairs = body.GetProperty("pairs").EnumerateArray().ToList();
        var compared = pairs[0].GetProperty("comparison");
        Assert.Equal(b.TraceId, compared.GetProperty("b").GetProperty("traceId").GetString());
        Assert.InRange(compared.GetProperty("reply").GetProperty("similarity").GetDouble(), 0, 0.99);
        Assert.False(compared.GetProperty("reply").TryGetProperty("runs", out _));
        Assert.False(pairs[0].TryGetProperty("error", out _));
        var error = pairs[1].GetProperty("error");
        Assert.Equal(404, error.GetProperty("status").GetInt32());
        Assert.Contains(Unknown, error.GetProperty("detail").GetString());
        var aggregates = body.GetProperty("aggregates");
        Assert.Equal(2, aggregates.GetProperty("count").GetInt32());
        Assert.Equal(1, aggregates.GetProperty("compared").GetInt32());
        Assert.Equal(1, aggregates.GetProperty("failed").GetInt32());
        Assert.Equal(1, aggregates.GetProperty("repliesChanged").GetInt32());
        Assert.Equal(compared.GetProperty("deltas").GetProperty("latencyMs").GetDouble(), aggregates.GetProperty("meanLatencyDeltaMs").GetDouble());

        // Against a baseline: the baseline is side a of every pair.
        var baseline = await JsonAsync(await _admin.PostAsJsonAsync("/api/manage/traces/compare/batch", new { traceIds = new[] { a.TraceId, b.TraceId }, baselineId = a.TraceId }));
        Assert.Equal([a.TraceId, a.TraceId], baseline.GetProperty("pairs").EnumerateArray().Select(p => p.GetProperty("a").GetString()));
        Assert.Equal(1, baseline.GetProperty("aggregates").GetProperty("repliesChanged").GetInt32());

        var invalid = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/traces/compare/batch", new { pairs = new[] { new[] { a.TraceId, "not-an-id" } } }), HttpStatusCode.BadRequest);
        Assert.Equal(["pairs[0][1]"], ProblemAssert.ErrorFields(invalid));
        var tooMany = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/traces/compare/batch", new { traceIds = Enumerable.Repeat(b.TraceId, 101), baselineId = a.TraceId }), HttpStatusCode.BadRequest);
        Assert.Equal(["traceIds"], ProblemAssert.ErrorFields(tooMany));
    }

    [Fact]
    public async Task Unknown_ids_are_404_naming_them_malformed_ones_400_naming_the_field_and_callers_must_be_admins()
    {
        var twinId = await CreateTwinAsync();
        var a = await ChatAsync(twinId, "Which tool do you like for tracing LLM applications?");

        var unknown = await ProblemAssert.IsProblemAsync(await _admin.GetAsync($"/api/manage/traces/compare/{a.TraceId}/{Unknown}"), HttpStatusCode.NotFound);
        Assert.Contains($"Trace '{Unknown}'", unknown.GetProperty("detail").GetString());
        var unknownChat = await ProblemAssert.IsProblemAsync(await _admin.GetAsync($"/api/manage/traces/compare/{a.TraceId}:0000000000000001/{a.TraceId}"), HttpStatusCode.NotFound);
        Assert.Contains($"{a.TraceId}:0000000000000001", unknownChat.GetProperty("detail").GetString());

        var malformed = await ProblemAssert.IsProblemAsync(await _admin.GetAsync($"/api/manage/traces/compare/{a.TraceId}/xyz?at1=yesterday"), HttpStatusCode.BadRequest);
        Assert.Equal(["at1", "id2"], ProblemAssert.ErrorFields(malformed).Order());

        using var anonymous = _server.CreateClient(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/manage/traces/compare/{a.TraceId}/{a.TraceId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/manage/traces/compare/batch", new { pairs = new[] { new[] { a.TraceId, a.TraceId } } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _user.GetAsync($"/api/manage/traces/compare/{a.TraceId}/{a.TraceId}")).StatusCode);
    }

    private async Task<string> CreateTwinAsync()
    {
        var twinId = "cmp-" + Guid.NewGuid().ToString("N")[..10];
        string[] knowledge = ["My favourite tool for tracing LLM applications is Langfuse.", "I bake sourdough bread every weekend."];
        (await _admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name = "Cora", persona = "You are Cora, an engineer.", knowledge })).EnsureSuccessStatusCode();
        return twinId;
    }

    private async Task<(string TraceId, string ObservationId, string Reply)> ChatAsync(string twinId, string message)
    {
        var response = await _user.SendAsync(Message($"/api/chat/{twinId}", new { message }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        return (body.GetProperty("traceId").GetString()!, body.GetProperty("observationId").GetString()!, body.GetProperty("reply").GetString()!);
    }

    // Evaluation is off in these tests; the scores the judges would write go on the chat's row directly.
    private async Task ScoreAsync(string traceId, Dictionary<string, double> scores)
    {
        var ledger = _server.Services.GetRequiredService<LedgerStore>();
        var row = await ledger.FindAsync(traceId, DateTimeOffset.UtcNow, default) ?? throw new InvalidOperationException($"No ledger row for {traceId}.");
        Assert.True(await ledger.RecordScoresAsync(traceId, row.ObservationId, row.Timestamp, scores, "heuristic", new Dictionary<string, string>(), default));
    }
}
