using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Twin.Functions.Tests.Evaluation;
using Twin.Observability.Evaluation;
using Twin.Observability.Ledger;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Fakes.OpenAI;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Tracing;

/// <summary>
/// What Langfuse reads from chats, whatever context the caller sent (none, <c>X-Trace-Id</c>, <c>traceparent</c>):
/// one parentless root per chat marked as the app's root and holding the trace's input and output, the request's
/// metadata on every span, the LLM judges' scores keyed by trace and root observation, and the cost of a generation
/// whose provider answered with a dated model name. The LLM is the fake, priced under its undated name.
/// </summary>
[Collection(EvaluationCollection.Name)]
public sealed class LangfuseReadsTests : IAsyncLifetime
{
    private const string Model = "gpt-acc-mini";
    private const string DatedModel = "gpt-acc-mini-2026-06-01";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private FakeLangfuse _langfuse = null!;
    private FakeOpenAI _llm = null!;
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        _langfuse = await FakeLangfuse.StartAsync();
        _llm = await FakeOpenAI.StartAsync();
        _llm.ResponseModel = requested => requested == Model ? DatedModel : requested;
        _llm.Usage = new FakeUsage(1000, 500, CachedTokens: 200);
        _llm.Responder = request => request.ResponseFormatType == "json_object"
            ? """{"score": 0.9, "reasoning": "Answers from the knowledge.", "violations": []}"""
            : "My favourite tool for tracing LLM applications is Langfuse.";
        _server = await TwinApp.StartAsync(EvaluationApp.Settings([
            .. _langfuse.AppSettings(),
            ("LANGFUSE_TRACING_ENVIRONMENT", "test"),
            .. _llm.AppSettings(Model),
            ("Llm:TimeoutSeconds", "5"),
            ("Llm:MaxRetries", "0"),
            ($"Llm:Prices:{Model}:InputPerMillionUsd", "1.5"),
            ($"Llm:Prices:{Model}:CachedInputPerMillionUsd", "0.75"),
            ($"Llm:Prices:{Model}:OutputPerMillionUsd", "2")]));
        _admin = _server.CreateClient(TestKeys.Admin);
        _user = _server.CreateClient(TestKeys.User);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        _user.Dispose();
        // Evaluations may still be ending their roots in the worker when a test's last assertion passes.
        await _langfuse.WaitForParentsAsync(TimeSpan.FromSeconds(15));
        await _server.DisposeAsync();
        await _llm.DisposeAsync();
        // Throws when a span's parent never arrived, or a REST body broke Langfuse's spec.
        await _langfuse.DisposeAsync();
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("X-Trace-Id", "a1f92f3577b34da6a3ce929d0e0e4736")]
    [InlineData("traceparent", "00-b1f92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    public async Task A_chat_reaches_langfuse_as_a_root_with_its_input_output_metadata_scores_and_cost(string? header, string? value)
    {
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, ["My favourite tool for tracing LLM applications is Langfuse."]);
        var headers = header is null ? [] : new[] { (header, value!) };

        var response = await _user.SendAsync(Message($"/api/chat/{twinId}", new { message = "Which tool do you like for tracing?", metadata = new { page = "pricing", campaign = "winter" } }, headers));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        var traceId = body.GetProperty("traceId").GetString()!;
        var observationId = body.GetProperty("observationId").GetString()!;
        if (value is not null)
        {
            Assert.Contains(traceId, value, StringComparison.Ordinal);
        }

        // 800 uncached input tokens at 1.5, 200 cached at 0.75, 500 output at 2 (USD per million).
        Assert.Equal(0.00235m, body.GetProperty("costUsd").GetDecimal());
        Assert.Equal(DatedModel, body.GetProperty("model").GetString());

        var spans = await _langfuse.WaitForTraceAsync(traceId, s => s.Any(x => x.Name == "chat") && s.Count >= 11, Wait);
        var root = _langfuse.RootOf(traceId);
        Assert.Equal(observationId, root.SpanId);
        Assert.Null(root.ParentSpanId);
        Assert.Equal(true, root.Attribute("langfuse.internal.is_app_root"));
        Assert.Contains("Which tool do you like for tracing?", (string)root.Attribute("langfuse.observation.input")!, StringComparison.Ordinal);
        Assert.Contains("Langfuse", (string)root.Attribute("langfuse.observation.output")!, StringComparison.Ordinal);
        Assert.All(spans, span =>
        {
            Assert.Equal("pricing", span.Attribute("langfuse.trace.metadata.page"));
            Assert.Equal("winter", span.Attribute("langfuse.trace.metadata.campaign"));
            Assert.Equal(twinId, span.Attribute("langfuse.trace.metadata.twin_id"));
        });

        var generation = Assert.Single(spans, s => s.Attribute("gen_ai.operation.name") is "chat");
        Assert.Equal(DatedModel, generation.Attribute("gen_ai.response.model"));
        Assert.Equal(
            new Dictionary<string, decimal> { ["input"] = 0.0012m, ["input_cached_tokens"] = 0.00015m, ["output"] = 0.001m, ["total"] = 0.00235m },
            JsonSerializer.Deserialize<Dictionary<string, decimal>>((string)generation.Attribute("langfuse.observation.cost_details")!));
        Assert.Equal(
            new Dictionary<string, long> { ["input"] = 800, ["input_cached_tokens"] = 200, ["output"] = 500, ["total"] = 1500 },
            JsonSerializer.Deserialize<Dictionary<string, long>>((string)generation.Attribute("langfuse.observation.usage_details")!));
        Assert.DoesNotContain(spans, s => s.Attributes.Keys.Any(k => k.StartsWith("twin.knowledge", StringComparison.Ordinal)));

        await Eventually.TrueAsync(() => _langfuse.ScoresOf(traceId).Count == ScoreNames.All.Count, Wait, "the judges' scores in Langfuse");
        Assert.All(_langfuse.ScoresOf(traceId), score =>
        {
            Assert.Equal(observationId, score.ObservationId);
            Assert.Equal(ScoreRecorder.ScoreIdOf(traceId, observationId, score.Name), score.Id);
        });
    }

    [Fact]
    public async Task Two_chats_in_one_callers_trace_are_two_roots_whose_scores_and_ledger_rows_stay_apart()
    {
        const string traceId = "c1f92f3577b34da6a3ce929d0e0e4736";
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, ["My favourite tool for tracing LLM applications is Langfuse."]);

        var first = await JsonAsync(await _user.SendAsync(Message($"/api/chat/{twinId}", new { message = "Which tool do you like?" }, ("traceparent", $"00-{traceId}-00f067aa0ba902b7-01"))));
        var second = await JsonAsync(await _user.SendAsync(Message($"/api/chat/{twinId}", new { message = "And for tracing?" }, ("traceparent", $"00-{traceId}-10f067aa0ba902b7-01"))));

        var observations = new[] { first, second }.Select(b => b.GetProperty("observationId").GetString()!).ToList();
        Assert.Equal([traceId, traceId], new[] { first, second }.Select(b => b.GetProperty("traceId").GetString()));
        Assert.NotEqual(observations[0], observations[1]);
        await Eventually.TrueAsync(() => _langfuse.ScoresOf(traceId).Count == 2 * ScoreNames.All.Count, Wait, "both chats' scores in Langfuse");
        // Scores can arrive before the second chat's last spans: an export batch may end mid-chat. A root ends after
        // its children and spans are exported in the order they end, so both roots in means both chats are in.
        await _langfuse.WaitForTraceAsync(traceId, s => s.Count(x => x.ParentSpanId is null) == 2, Wait);
        Assert.Equal(observations.Order(), _langfuse.RootsOf(traceId).Select(r => r.SpanId).Order());
        Assert.Equal(observations.Order(), _langfuse.ScoresOf(traceId).Select(s => s.ObservationId!).Distinct().Order());
        var ledger = _server.Services.GetRequiredService<LedgerStore>();
        IReadOnlyList<LedgerEntry> rows = [];
        await Eventually.TrueAsync(
            async () => (rows = await ledger.RowsOfTraceAsync(traceId, DateTimeOffset.UtcNow, default)).Count(r => r.Scores.Count == ScoreNames.All.Count) == 2,
            Wait,
            "both ledger rows scored");
        Assert.Equal(observations.Order(), rows.Select(r => r.ObservationId).Order());
    }
}
