using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Fakes.OpenAI;
using Xunit;

namespace Twin.Functions.Tests.Regression;

/// <summary>
/// A worse prompt fails against the baseline, with the fakes: Langfuse serves the dataset and two versions of the
/// system prompt (labels <c>production</c> and <c>candidate</c>); the fake model answers off topic under the candidate
/// prompt, and the LLM judges (the same fake) score off-topic replies low. The run with <c>promptLabel: candidate</c>
/// uses that prompt and fails, significantly, against the production run saved as the baseline.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PromptRegressionTests : IAsyncLifetime
{
    private const string CandidateMarker = "CANDIDATE-PROMPT";
    private const string OffTopic = "Let us talk about the weather instead.";

    private FakeLangfuse _langfuse = null!;
    private FakeOpenAI _llm = null!;
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _langfuse = await FakeLangfuse.StartAsync();
        _langfuse.AddPrompt("twin-system", 1, "You are {{twin_name}}. {{persona}}{{knowledge}}", ["production"]);
        _langfuse.AddPrompt("twin-system", 2, CandidateMarker + " You are {{twin_name}}.", ["candidate"]);
        _llm = await FakeOpenAI.StartAsync();
        _llm.Responder = request => request.ResponseFormatType == "json_object"
            ? Judge(request)
            : request.Messages[0].Text.Contains(CandidateMarker, StringComparison.Ordinal) ? OffTopic : "I trace my LLM apps with Langfuse.";
        _server = await TwinApp.StartAsync([
            .. _langfuse.AppSettings(),
            .. _llm.AppSettings("gpt-test"),
            ("Llm:TimeoutSeconds", "5"),
            ("Llm:MaxRetries", "0"),
            ("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()),
            ("AzureFunctionsJobHost:extensions:queues:maxPollingInterval", "200")]);
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
    public async Task A_run_with_a_worse_prompt_label_fails_against_the_baseline_with_significance()
    {
        var twinId = "pr-" + Guid.NewGuid().ToString("N")[..10];
        (await _admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name = "Pria", persona = "You are Pria.", knowledge = new[] { "Pria traces LLM apps with Langfuse." } })).EnsureSuccessStatusCode();
        var dataset = "golden-" + twinId;
        _langfuse.AddDataset(dataset);
        for (var i = 0; i < 6; i++)
        {
            _langfuse.AddDatasetItem(dataset, new { message = $"How do you trace your LLM apps? ({i})" }, new { reply = "With Langfuse." }, id: $"{twinId}-{i}");
        }

        var production = await RunAsync(new { dataset, twinId });
        Assert.Equal("pass", production.GetProperty("verdict").GetString());
        (await _admin.PostAsJsonAsync("/api/manage/regression/baseline", new { name = "prod-" + twinId, testId = production.GetProperty("id").GetString() })).EnsureSuccessStatusCode();

        var candidate = await RunAsync(new { dataset, twinId, promptLabel = "candidate", baseline = "prod-" + twinId });

        Assert.Contains(_llm.Requests, r => r.ResponseFormatType != "json_object" && r.Messages[0].Text.Contains(CandidateMarker, StringComparison.Ordinal));
        Assert.Equal("candidate", candidate.GetProperty("settings").GetProperty("promptLabel").GetString());
        Assert.Equal("fail", candidate.GetProperty("verdict").GetString());
        var relevance = candidate.GetProperty("comparison").GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "relevance");
        Assert.Equal("fail", relevance.GetProperty("outcome").GetString());
        Assert.True(relevance.GetProperty("pValue").GetDouble() < 0.05, relevance.ToString());
        Assert.Equal(6, relevance.GetProperty("pairs").GetInt32());
    }

    [Fact]
    public async Task A_run_can_switch_few_shot_off_so_its_effect_is_measurable_on_the_same_dataset()
    {
        var twinId = "fw-" + Guid.NewGuid().ToString("N")[..10];
        (await _admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name = "Fewa", persona = "You are Fewa.", knowledge = new[] { "Fewa traces LLM apps with Langfuse." } })).EnsureSuccessStatusCode();
        const string example = "EXAMPLE-ANSWER: every generation of mine is traced in Langfuse.";
        _langfuse.AddDataset("twin-" + twinId);
        _langfuse.AddDatasetItem("twin-" + twinId, new { message = "How do you trace your LLM apps?" }, new { reply = example }, id: $"{twinId}-example");
        var dataset = "golden-" + twinId;
        _langfuse.AddDataset(dataset);
        _langfuse.AddDatasetItem(dataset, new { message = "How do you trace LLM apps, please?" }, new { reply = "With Langfuse." }, id: $"{twinId}-q");

        _llm.Clear();
        await RunAsync(new { dataset, twinId, fewShot = false });
        Assert.DoesNotContain(_llm.Requests, r => r.ResponseFormatType != "json_object" && r.Messages.Any(m => m.Text == example));

        await RunAsync(new { dataset, twinId, fewShot = true });
        Assert.Contains(_llm.Requests, r => r.ResponseFormatType != "json_object" && r.Messages.Any(m => m.Role == "assistant" && m.Text == example));
    }

    // The judges' prompts carry the reply: off-topic replies score low, on-topic ones high.
    private static string Judge(FakeChatRequest request) =>
        request.Messages.Any(m => m.Text.Contains(OffTopic, StringComparison.Ordinal))
            ? """{"score": 0.1, "reasoning": "Off topic.", "violations": []}"""
            : """{"score": 0.9, "reasoning": "Answers from the knowledge.", "violations": []}""";

    private Task<JsonElement> RunAsync(object request) => RegressionRuns.RunAsync(_admin, request);
}
