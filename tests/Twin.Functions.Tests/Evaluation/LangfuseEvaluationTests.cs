using Twin.Observability.Datasets;
using System.Diagnostics;
using System.Net;
using Twin.Functions.Tests.EndToEnd;
using Twin.Observability.Evaluation;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Fakes.OpenAI;
using Xunit;

namespace Twin.Functions.Tests.Evaluation;

/// <summary>
/// With Langfuse and an LLM configured (both fakes): the system prompt comes from Langfuse prompt management, the
/// LLM judges score each chat in an evaluation trace of its own, the scores reach Langfuse and the ledger, and
/// passing chats become items of the twin's Langfuse dataset. Every REST body is checked against Langfuse's spec.
/// </summary>
[Collection(EvaluationCollection.Name)]
public sealed class LangfuseEvaluationTests : IAsyncLifetime
{
    private const string Model = "gpt-judge-test";
    private const string Knowledge = "My favourite tool for tracing LLM applications is Langfuse.";
    private FakeLangfuse _langfuse = null!;
    private FakeOpenAI _llm = null!;
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;
    private HttpClient _user = null!;

    /// <summary>What the fake LLM answers a judge, by criterion; a chat is answered with a fixed reply.</summary>
    private Func<string, string> _judgeAnswer = _ => """{"score": 0.9, "reasoning": "Answers the question from the knowledge.", "violations": []}""";

    public async Task InitializeAsync()
    {
        _langfuse = await FakeLangfuse.StartAsync();
        _langfuse.AddPrompt("twin-system", 1, "Old system prompt for {{twin_name}}.", ["staging"]);
        _langfuse.AddPrompt("twin-system", 3, "You are {{twin_name}}. {{persona}}{{knowledge}}", ["production"], new { temperature = 0.25 });
        _llm = await FakeOpenAI.StartAsync();
        _llm.Responder = request => request.ResponseFormatType == "json_object"
            ? _judgeAnswer(CriterionOf(request))
            : "My favourite tool for tracing LLM applications is Langfuse.";
        _server = await TwinApp.StartAsync(EvaluationApp.Settings([
            .. _langfuse.AppSettings(),
            ("LANGFUSE_TRACING_ENVIRONMENT", "test"),
            .. _llm.AppSettings(Model),
            ("Llm:TimeoutSeconds", "5"),
            ("Llm:MaxRetries", "0")]));
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
        // Throws when the app sent Langfuse a body its OpenAPI spec rejects.
        await _langfuse.DisposeAsync();
    }

    [Fact]
    public async Task A_chat_uses_the_production_prompt_and_its_three_llm_scores_reach_langfuse_the_ledger_and_the_dataset()
    {
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, [Knowledge]);

        var response = await _user.SendAsync(ChatClient.Message($"/api/chat/{twinId}", new { message = "Which tool do you like for tracing LLM applications?" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ChatClient.JsonAsync(response);
        var traceId = ChatClient.TraceIdHeader(response);
        Assert.Equal("twin-system", body.GetProperty("promptName").GetString());
        Assert.Equal(3, body.GetProperty("promptVersion").GetInt32());
        var chatRequest = _llm.Requests.First(r => r.ResponseFormatType is null);
        Assert.Equal(0.25, chatRequest.Temperature);
        Assert.StartsWith("You are Eva.", chatRequest.Instructions, StringComparison.Ordinal);

        await Eventually.TrueAsync(() => _langfuse.ScoresOf(traceId).Count == 3, EvaluationApp.Wait, "three scores in Langfuse");
        var scores = _langfuse.ScoresOf(traceId);
        var observationId = body.GetProperty("observationId").GetString()!;
        Assert.Equal(ScoreNames.All.Order(), scores.Select(s => s.Name).Order());
        Assert.All(scores, s =>
        {
            Assert.Equal(ScoreRecorder.ScoreIdOf(traceId, observationId, s.Name), s.Id);
            Assert.Equal(observationId, s.ObservationId);
            Assert.Equal(0.9, s.NumericValue);
            Assert.Equal("NUMERIC", s.DataType);
            Assert.Equal("test", s.Environment);
            Assert.Equal("llm", s.Metadata!.Value.GetProperty("method").GetString());
            Assert.Equal(Model, s.Metadata!.Value.GetProperty("model").GetString());
        });

        var row = await EvaluationApp.ScoredRowAsync(_server, traceId, DateTimeOffset.UtcNow);
        Assert.Equal(JudgeMethods.Llm, row.ScoreMethod);
        Assert.Equal(0.9, row.Scores[ScoreNames.Groundedness]);
        Assert.Equal(3, row.PromptVersion);

        await Eventually.TrueAsync(() => _langfuse.DatasetItems.Any(i => i.SourceTraceId == traceId), EvaluationApp.Wait, "dataset item in Langfuse");
        var item = _langfuse.DatasetItems.Single(i => i.SourceTraceId == traceId);
        Assert.Equal($"twin-{twinId}", item.DatasetName);
        Assert.Equal(DatasetCollector.ItemIdOf(traceId, observationId), item.Id);
        Assert.Equal(observationId, item.SourceObservationId);
        Assert.Equal("Which tool do you like for tracing LLM applications?", item.Input!.Value.GetProperty("message").GetString());
        Assert.Equal(3, item.Metadata!.Value.GetProperty("promptVersion").GetInt32());
        Assert.Contains(_langfuse.Datasets, d => d.Name == $"twin-{twinId}");
    }

    [Fact]
    public async Task Judging_is_an_evaluation_trace_of_its_own_with_one_evaluator_per_judge_and_the_chat_trace_stays_user_traffic()
    {
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, [Knowledge]);
        var (traceId, _, at) = await EvaluationApp.ChatAsync(_user, twinId, "Which tool do you like for tracing?");
        await EvaluationApp.ScoredRowAsync(_server, traceId, at);

        ReceivedSpan? root = null;
        await Eventually.TrueAsync(
            () => (root = _langfuse.Spans.FirstOrDefault(s => s.Name == EvaluationService.TraceName && Equals(s.Attribute("langfuse.trace.metadata.source_trace_id"), traceId))) is not null
                && _langfuse.SpansOf(root.TraceId).Count(s => s.Attribute("langfuse.observation.type") is "evaluator") == 3,
            EvaluationApp.Wait,
            "the evaluation trace");
        var evaluation = _langfuse.SpansOf(root!.TraceId);
        Assert.NotEqual(traceId, root.TraceId);
        Assert.All(evaluation, s =>
        {
            Assert.Equal("evaluation", s.Attribute("langfuse.trace.name"));
            Assert.Contains("evaluation", ((IReadOnlyList<object?>)s.Attribute("langfuse.trace.tags")!).Cast<string>());
        });
        var judges = evaluation.Where(s => s.Attribute("langfuse.observation.type") is "evaluator").ToList();
        Assert.Equal(ScoreNames.All.Select(n => "judge:" + n).Order(), judges.Select(j => j.Name).Order());
        Assert.All(judges, j => Assert.Contains(evaluation, g => g.ParentSpanId == j.SpanId && g.Attribute("gen_ai.operation.name") is "chat"));
        Assert.DoesNotContain(_langfuse.SpansOf(traceId), s => s.Attribute("langfuse.observation.type") is "evaluator");
    }

    [Fact]
    public async Task A_redelivered_evaluation_is_processed_again_and_overwrites_its_scores_and_its_dataset_item_instead_of_adding_more()
    {
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, [Knowledge]);
        var message = "Which tool do you like for tracing LLM applications?";
        var (traceId, reply, at) = await EvaluationApp.ChatAsync(_user, twinId, message);
        var row = await EvaluationApp.ScoredRowAsync(_server, traceId, at);
        await Eventually.TrueAsync(() => _langfuse.DatasetItems.Any(i => i.SourceTraceId == traceId), EvaluationApp.Wait, "dataset item");
        await EvaluationApp.QueueDrainedAsync(_server);
        var scorePosts = _langfuse.ScorePostCount;
        var itemPosts = _langfuse.DatasetItemPostCount;

        await EvaluationApp.RedeliverAsync(_server, row, message, reply, Knowledge);

        // The message leaves the queue only when its run succeeded; a failing one is retried, then poisoned.
        await EvaluationApp.QueueDrainedAsync(_server);
        Assert.DoesNotContain(await EvaluationApp.PoisonMessagesAsync(_server), m => m.Contains(traceId, StringComparison.Ordinal));
        Assert.Equal(scorePosts + 3, _langfuse.ScorePostCount);
        Assert.Equal(itemPosts + 1, _langfuse.DatasetItemPostCount);
        Assert.Equal(3, _langfuse.ScoresOf(traceId).Count);
        Assert.Single(_langfuse.DatasetItems, i => i.SourceTraceId == traceId);
    }

    [Fact]
    public async Task A_judge_that_answers_invalid_json_twice_is_a_judge_error_not_a_score_and_the_chat_is_not_collected()
    {
        _judgeAnswer = criterion => criterion == ScoreNames.Groundedness ? "I think it is grounded." : """{"score": 0.8, "reasoning": "fine", "violations": []}""";
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, [Knowledge]);

        var (traceId, _, at) = await EvaluationApp.ChatAsync(_user, twinId, "Which tool do you like for tracing?");

        var row = await EvaluationApp.ScoredRowAsync(_server, traceId, at);
        Assert.StartsWith("groundedness: ", row.JudgeErrors, StringComparison.Ordinal);
        Assert.DoesNotContain(ScoreNames.Groundedness, row.Scores.Keys);
        // Each test has its own fakes and app, so these are this chat's judge calls: the first answer and one retry.
        Assert.Equal(2, _llm.Requests.Count(r => r.ResponseFormatType == "json_object" && CriterionOf(r) == ScoreNames.Groundedness));
        await Eventually.TrueAsync(() => _langfuse.ScoresOf(traceId).Count == 2, EvaluationApp.Wait, "the two valid scores in Langfuse");
        Assert.DoesNotContain(_langfuse.ScoresOf(traceId), s => s.Name == ScoreNames.Groundedness);
        await EvaluationApp.QueueDrainedAsync(_server);
        Assert.DoesNotContain(_langfuse.DatasetItems, i => i.SourceTraceId == traceId);
    }

    [Fact]
    public async Task When_the_judging_llm_is_down_the_evaluation_is_retried_and_then_poisoned_while_the_chat_succeeded()
    {
        // Only the judge is down, from before the chat: switching the whole fake after the chat raced the queue, which
        // can judge the chat before the test thread gets to run again on a loaded machine.
        _llm.ModeFor = request => request.ResponseFormatType == "json_object" ? FakeOpenAIMode.ServerError : null;
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, [Knowledge]);
        var (traceId, reply, _) = await EvaluationApp.ChatAsync(_user, twinId, "Which tool do you like for tracing?");

        Assert.False(string.IsNullOrEmpty(reply));
        await Eventually.TrueAsync(
            async () => (await EvaluationApp.PoisonMessagesAsync(_server)).Any(m => m.Contains(traceId, StringComparison.Ordinal)),
            EvaluationApp.Wait,
            "the evaluation in evaluations-poison");
        Assert.Empty(_langfuse.ScoresOf(traceId));
        Assert.True(_llm.Requests.Count(r => r.ResponseFormatType == "json_object") >= 2, "judged at least once per delivery");
    }

    [Fact]
    public async Task The_playground_lists_and_shows_langfuse_prompts_by_label_and_version()
    {
        var list = await ChatClient.JsonAsync(await _admin.GetAsync("/api/manage/playground/prompts"));
        var system = list.GetProperty("data").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "twin-system");
        Assert.Equal([1, 3], system.GetProperty("versions").EnumerateArray().Select(v => v.GetInt32()).Order());

        var production = await ChatClient.JsonAsync(await _admin.GetAsync("/api/manage/playground/prompts/twin-system"));
        var staging = await ChatClient.JsonAsync(await _admin.GetAsync("/api/manage/playground/prompts/twin-system?label=staging"));
        var first = await ChatClient.JsonAsync(await _admin.GetAsync("/api/manage/playground/prompts/twin-system?version=1"));

        Assert.Equal(3, production.GetProperty("version").GetInt32());
        Assert.Equal("Langfuse", production.GetProperty("source").GetString());
        Assert.Equal("Text", production.GetProperty("kind").GetString());
        Assert.Equal(0.25, production.GetProperty("config").GetProperty("temperature").GetDouble());
        Assert.Equal(1, staging.GetProperty("version").GetInt32());
        Assert.Equal("Old system prompt for {{twin_name}}.", first.GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/manage/playground/prompts/no-such-prompt")).StatusCode);
        await ProblemAssert.IsProblemAsync(await _admin.GetAsync("/api/manage/playground/prompts/twin-system?version=x"), HttpStatusCode.BadRequest);
    }

    private static string CriterionOf(FakeChatRequest request) =>
        ScoreNames.All.FirstOrDefault(name => request.Messages.Any(m => m.Text.Contains("Criterion: " + name, StringComparison.Ordinal))) ?? "";
}
