using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Datasets;
using Twin.Testing;
using Twin.Testing.Fakes.OpenAI;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.FewShot;

/// <summary>
/// Few-shot end to end over the local host with the fake OpenAI server, on an Azurite account of its own: once a
/// twin's dataset holds good turns, a chat about the same subject carries the most similar one to the model as a
/// user/assistant pair before the message; a twin with few-shot switched off gets none.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FewShotChatTests : IAsyncLifetime
{
    private const string ExampleQuestion = "Which tool do you use for tracing LLM applications?";
    private const string ExampleAnswer = "I trace every LLM call with Langfuse; it shows each generation in one trace.";

    private FakeOpenAI _llm = null!;
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;
    private HttpClient _user = null!;
    private string _quietTwin = null!;

    public async Task InitializeAsync()
    {
        _llm = await FakeOpenAI.StartAsync();
        _quietTwin = "fs-off-" + Guid.NewGuid().ToString("N")[..8];
        _server = await TwinApp.StartAsync([
            ("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()),
            .. _llm.AppSettings("gpt-test"),
            ($"FewShot:Twins:{_quietTwin}:Enabled", "false")]);
        _admin = _server.CreateClient(TestKeys.Admin);
        _user = _server.CreateClient(TestKeys.User);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        _user.Dispose();
        await _server.DisposeAsync();
        await _llm.DisposeAsync();
    }

    [Fact]
    public async Task A_chat_carries_the_most_similar_dataset_turn_as_an_example_unless_the_twin_has_few_shot_off()
    {
        var twinId = "fs-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var id in new[] { twinId, _quietTwin })
        {
            (await _admin.PostAsync("/api/manage/twins", JsonContent(new { id, name = "Fey", persona = "You are Fey.", knowledge = new[] { "Fey likes Langfuse." } }))).EnsureSuccessStatusCode();
            await SeedAsync(id);
        }

        var answered = await _user.SendAsync(Message($"/api/chat/{twinId}", new { message = "What do you use to trace your LLM calls?" }));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var sent = _llm.Requests.Last().Messages;
        var example = sent.Select((m, i) => (m, i)).Single(x => x.m.Role == "user" && x.m.Text == ExampleQuestion).i;
        Assert.Equal(("assistant", ExampleAnswer), (sent[example + 1].Role, sent[example + 1].Text));
        Assert.Equal("What do you use to trace your LLM calls?", sent[^1].Text);
        Assert.DoesNotContain(sent, m => m.Text.Contains("sourdough", StringComparison.Ordinal));

        (await _user.SendAsync(Message($"/api/chat/{_quietTwin}", new { message = "What do you use to trace your LLM calls?" }))).EnsureSuccessStatusCode();
        Assert.DoesNotContain(_llm.Requests.Last().Messages, m => m.Text == ExampleQuestion || m.Text == ExampleAnswer);
    }

    private async Task SeedAsync(string twinId)
    {
        var store = _server.Services.GetRequiredService<IDatasetStore>();
        var dataset = "twin-" + twinId;
        await store.EnsureDatasetAsync(dataset, "few-shot test", default);
        await store.UpsertItemAsync(new DatasetItem("a", dataset, new JsonObject { ["message"] = ExampleQuestion }, new JsonObject { ["reply"] = ExampleAnswer }, [], "trace-a"), default);
        await store.UpsertItemAsync(new DatasetItem("b", dataset, new JsonObject { ["message"] = "What do you bake at the weekend?" }, new JsonObject { ["reply"] = "Sourdough bread, every weekend." }, [], "trace-b"), default);
    }

    private static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
