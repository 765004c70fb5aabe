using System.Text.Json;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Fakes.OpenAI;
using Xunit;
using static Twin.Functions.Tests.Playground.PlaygroundApi;

namespace Twin.Functions.Tests.Playground;

/// <summary>
/// The prompt playground against the fake OpenAI-compatible server (the model under test and the LLM judges) and the
/// fake Langfuse (which receives the traces): a test sends its inline prompt, model and temperature as given; a
/// comparison runs variants × inputs, one trace per cell in one Langfuse session, and a variant whose model is down
/// fails in its own cells only.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PlaygroundModelTests : IAsyncLifetime
{
    private const string Marker = "PLAYGROUND-MARKER";
    private const string DownModel = "gpt-down";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private FakeLangfuse _langfuse = null!;
    private FakeOpenAI _llm = null!;
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _langfuse = await FakeLangfuse.StartAsync();
        _llm = await FakeOpenAI.StartAsync();
        _llm.Responder = request => request.ResponseFormatType == "json_object"
            ? """{"score": 0.8, "reasoning": "Fine.", "violations": []}"""
            : "I trace my LLM apps with Langfuse.";
        _llm.ModeFor = request => request.Model == DownModel ? FakeOpenAIMode.ServerError : null;
        _server = await TwinApp.StartAsync([
            .. _langfuse.AppSettings(),
            .. _llm.AppSettings("gpt-default"),
            ("Llm:TimeoutSeconds", "10"),
            ("Llm:MaxRetries", "0"),
            ("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString())]);
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
    public async Task A_test_sends_its_inline_chat_prompt_model_and_temperature_to_the_model_and_is_traced_as_playground()
    {
        var twinId = await CreateTwinAsync(_admin, "pm-", "Pia", "Pia traces LLM apps with Langfuse.");
        var prompt = new { type = "chat", messages = new[] { new { role = "system", content = Marker + " You are {{twin_name}}; answer in {{language}}." } } };

        var (run, _) = await PostOkAsync(_admin, TestRoute, new { twinId, prompt, variables = new { language = "French" }, model = "gpt-playground", temperature = 0.3, message = "How do you trace LLM apps?" });

        var sent = Assert.Single(_llm.Requests, r => r.ResponseFormatType != "json_object" && r.Instructions.Contains(Marker, StringComparison.Ordinal));
        Assert.Equal("gpt-playground", sent.Model);
        Assert.Equal(0.3, sent.Temperature!.Value, 3);
        Assert.Equal(Marker + " You are Pia; answer in French.", sent.Messages[0].Text);
        Assert.Equal(("user", "How do you trace LLM apps?"), (sent.Messages[^1].Role, sent.Messages[^1].Text));
        Assert.Equal(2, sent.Messages.Count);
        Assert.Empty(_llm.InvalidRequests);

        Assert.Equal("I trace my LLM apps with Langfuse.", run.GetProperty("output").GetString());
        Assert.Equal("gpt-playground", run.GetProperty("model").GetString());
        Assert.Equal("llm", run.GetProperty("scoreMethod").GetString());
        Assert.Equal(0.8, run.GetProperty("scores").GetProperty("relevance").GetDouble(), 3);
        Assert.True(run.GetProperty("tokens").GetProperty("input").GetInt64() > 0);

        var traceId = run.GetProperty("traceId").GetString()!;
        await _langfuse.WaitForTraceAsync(traceId, s => s.Any(x => x.Name == "playground"), Wait);
        var root = _langfuse.RootOf(traceId);
        Assert.Null(root.ParentSpanId);
        Assert.Equal("playground", root.Attribute("langfuse.trace.name"));
        Assert.Equal("playground", root.Attribute("langfuse.environment"));
        Assert.Contains("playground", ((IReadOnlyList<object?>)root.Attribute("langfuse.trace.tags")!).Cast<string>());
    }

    [Fact]
    public async Task A_comparison_of_two_variants_and_three_inputs_has_six_cells_one_session_and_the_down_models_cells_fail_alone()
    {
        var inputs = new[] { "How do you trace LLM apps?", "What do you bake?", "Which editor do you use?" };

        var (comparison, _) = await PostOkAsync(_admin, CompareRoute, new
        {
            variants = new object[]
            {
                new { name = "good", model = "gpt-good", prompt = "You are {{twin_name}}." },
                new { name = "down", model = DownModel },
            },
            inputs = inputs.Select(m => new { message = m }),
        });

        var cells = comparison.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(6, cells.Count);
        Assert.Equal(6, cells.Select(c => c.GetProperty("traceId").GetString()).Distinct().Count());
        var good = cells.Where(c => c.GetProperty("variant").GetInt32() == 0).ToList();
        var down = cells.Where(c => c.GetProperty("variant").GetInt32() == 1).ToList();
        Assert.Equal([0, 1, 2], good.Select(c => c.GetProperty("input").GetInt32()));
        Assert.All(good, c =>
        {
            Assert.False(c.TryGetProperty("error", out _), c.ToString());
            Assert.Equal("I trace my LLM apps with Langfuse.", c.GetProperty("output").GetString());
            Assert.Equal(0.8, c.GetProperty("scores").GetProperty("groundedness").GetDouble(), 3);
        });
        Assert.All(down, c =>
        {
            Assert.Equal("llm_error", c.GetProperty("error").GetProperty("type").GetString());
            Assert.Equal(JsonValueKind.Null, c.GetProperty("output").ValueKind);
        });

        var summaries = comparison.GetProperty("variants").EnumerateArray().ToList();
        Assert.Equal(("good", 3, 0), (summaries[0].GetProperty("name").GetString(), summaries[0].GetProperty("succeeded").GetInt32(), summaries[0].GetProperty("failed").GetInt32()));
        Assert.True(summaries[0].GetProperty("meanLatencyMs").GetDouble() >= 0);
        Assert.Equal(0.8, summaries[0].GetProperty("meanScores").GetProperty("relevance").GetDouble(), 3);
        Assert.Equal(("down", 0, 3), (summaries[1].GetProperty("name").GetString(), summaries[1].GetProperty("succeeded").GetInt32(), summaries[1].GetProperty("failed").GetInt32()));
        Assert.Equal(JsonValueKind.Null, summaries[1].GetProperty("meanLatencyMs").ValueKind);
        Assert.Empty(summaries[1].GetProperty("meanScores").EnumerateObject());
        Assert.Equal(inputs, comparison.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("message").GetString()));

        var sessionId = comparison.GetProperty("sessionId").GetString()!;
        Assert.All(cells, c => Assert.Equal(sessionId, c.GetProperty("sessionId").GetString()));
        foreach (var cell in cells)
        {
            var traceId = cell.GetProperty("traceId").GetString()!;
            await _langfuse.WaitForTraceAsync(traceId, s => s.Any(x => x.Name == "playground"), Wait);
            Assert.Equal(sessionId, _langfuse.RootOf(traceId).Attribute("session.id"));
        }

        Assert.Equal(3, _llm.Requests.Count(r => r.Model == DownModel));
    }
}
