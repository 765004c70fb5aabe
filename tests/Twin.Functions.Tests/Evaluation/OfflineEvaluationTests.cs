using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Datasets;
using Twin.Observability.Evaluation;
using Twin.Observability.Storage;
using Twin.Testing;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Evaluation;

/// <summary>
/// With nothing but Azurite (no Langfuse, no LLM), as after the README's run command: every chat is judged by the
/// heuristic judges from the evaluations queue, scored in the ledger, and collected into the twin's Table dataset.
/// </summary>
[Collection(EvaluationCollection.Name)]
public sealed class OfflineEvaluationTests : IAsyncLifetime
{
    private const string Knowledge = "My favourite tool for tracing LLM applications is Langfuse, because it shows every generation in one trace.";
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        _server = await TwinApp.StartAsync(EvaluationApp.Settings());
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
    public async Task A_chat_is_scored_by_the_heuristic_judges_and_collected_into_the_twins_table_dataset()
    {
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, [Knowledge, "I bake sourdough bread every weekend."]);

        var (traceId, _, at) = await EvaluationApp.ChatAsync(_user, twinId, "Which tool do you like for tracing LLM applications?");

        var row = await EvaluationApp.ScoredRowAsync(_server, traceId, at);
        Assert.Equal(JudgeMethods.Heuristic, row.ScoreMethod);
        Assert.Equal(ScoreNames.All.Order(), row.Scores.Keys.Order());
        Assert.All(row.Scores.Values, s => Assert.InRange(s, 0.5, 1.0));
        Assert.Null(row.JudgeErrors);
        // Collection follows scoring in the same evaluation: done once the message has left the queue.
        await EvaluationApp.QueueDrainedAsync(_server);
        var item = Assert.Single(await ItemsAsync($"twin-{twinId}"));
        Assert.Equal(DatasetCollector.ItemIdOf(traceId, row.ObservationId), item.Id);
        Assert.Equal(traceId, item.SourceTraceId);
        Assert.Equal(row.ObservationId, item.SourceObservationId);
        Assert.Equal("Which tool do you like for tracing LLM applications?", (string?)item.Input["message"]);
        Assert.Contains("Langfuse", (string?)item.ExpectedOutput["reply"], StringComparison.Ordinal);
        Assert.Equal("twin-offline", (string?)item.Metadata["model"]);
        Assert.Equal(row.Scores[ScoreNames.Relevance], (double?)item.Metadata["scores"]?[ScoreNames.Relevance]);
        // The ledger row knows its dataset, so the dataset metrics count the chat.
        Assert.Equal($"twin-{twinId}", row.Dataset);
        var datasets = await JsonAsync(await _admin.GetAsync($"/api/metrics/dataset?twinId={twinId}"));
        Assert.Equal(1, datasets.GetProperty("added").GetInt64());
        Assert.Equal($"twin-{twinId}", datasets.GetProperty("datasets")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_reply_that_breaks_the_persona_is_scored_low_with_the_rule_named_and_kept_out_of_the_dataset()
    {
        // The offline model answers with the twin's knowledge, so this knowledge makes the twin claim to be an AI.
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, ["As an AI language model, I think tracing every chat matters."]);

        var (traceId, _, at) = await EvaluationApp.ChatAsync(_user, twinId, "What do you think about tracing every chat?");

        var row = await EvaluationApp.ScoredRowAsync(_server, traceId, at);
        Assert.True(row.Scores[ScoreNames.PersonaConsistency] < 0.8, $"persona_consistency {row.Scores[ScoreNames.PersonaConsistency]}");
        await EvaluationApp.QueueDrainedAsync(_server);
        Assert.Empty(await ItemsAsync($"twin-{twinId}"));
        // The persona metrics name the rule the reply broke.
        var rule = Assert.Single(row.Violations);
        var persona = await JsonAsync(await _admin.GetAsync($"/api/metrics/persona?twinId={twinId}"));
        Assert.Equal(1, persona.GetProperty("audited").GetInt64());
        Assert.Equal(rule, persona.GetProperty("mostViolatedRules")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_redelivered_evaluation_is_processed_again_without_failing_adds_no_second_item_and_changes_no_score()
    {
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, [Knowledge]);
        var message = "Which tool do you like for tracing LLM applications?";
        var (traceId, reply, at) = await EvaluationApp.ChatAsync(_user, twinId, message);
        var first = await EvaluationApp.ScoredRowAsync(_server, traceId, at);
        await EvaluationApp.QueueDrainedAsync(_server);

        await EvaluationApp.RedeliverAsync(_server, first, message, reply, Knowledge);
        // The message leaves the queue only when its run succeeded; a failing one is retried, then poisoned.
        await EvaluationApp.QueueDrainedAsync(_server);

        Assert.DoesNotContain(await EvaluationApp.PoisonMessagesAsync(_server), m => m.Contains(traceId, StringComparison.Ordinal));
        var again = await EvaluationApp.ScoredRowAsync(_server, traceId, at);
        Assert.Equal(first.Scores, again.Scores);
        var item = Assert.Single(await ItemsAsync($"twin-{twinId}"));
        Assert.Equal(DatasetCollector.ItemIdOf(traceId, first.ObservationId), item.Id);
    }

    [Fact]
    public async Task A_message_that_cannot_be_evaluated_ends_in_the_poison_queue_after_the_retries()
    {
        var marker = "not an evaluation " + Guid.NewGuid().ToString("N");
        await EvaluationApp.Queue(_server, StorageNames.Queues.Evaluations).SendMessageAsync(marker);

        await Eventually.TrueAsync(
            async () => (await EvaluationApp.PoisonMessagesAsync(_server)).Contains(marker),
            EvaluationApp.Wait,
            "the bad message in evaluations-poison");
        await EvaluationApp.QueueDrainedAsync(_server);
    }

    [Fact]
    public async Task Persona_rules_are_stored_with_the_twin()
    {
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, [Knowledge], new { firstPerson = true, forbiddenTopics = new[] { "Medical" }, maxReplyWords = 50 });

        var response = await _admin.GetAsync($"/api/manage/twins/{twinId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rules = (await EndToEnd.ChatClient.JsonAsync(response)).GetProperty("personaRules");
        Assert.Equal("medical", rules.GetProperty("forbiddenTopics")[0].GetString());
        Assert.Equal(50, rules.GetProperty("maxReplyWords").GetInt32());
        Assert.False(rules.GetProperty("mayDiscloseAi").GetBoolean());
    }

    private async Task<List<DatasetItem>> ItemsAsync(string dataset)
    {
        var items = new List<DatasetItem>();
        await foreach (var item in _server.Services.GetRequiredService<IDatasetStore>().ListItemsAsync(dataset, default))
        {
            items.Add(item);
        }

        return items;
    }
}
