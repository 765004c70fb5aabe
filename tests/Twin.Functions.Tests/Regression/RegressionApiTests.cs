using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Datasets;
using Twin.Observability.Regression;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.Regression;

/// <summary>
/// Regression runs end to end over the local host and its <c>regression-runs</c> queue trigger, offline (heuristic
/// judges), on an Azurite account of their own: a dataset → 202 → progress → finished with per-metric numbers; a
/// baseline; a run after the twin lost its knowledge fails against it, significantly; redelivered messages count
/// nothing twice; unknown datasets and twins are 404; an empty dataset is inconclusive.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RegressionApiTests : IAsyncLifetime
{
    private static readonly string[] Questions =
    [
        "Which tool do you like for tracing LLM applications?",
        "What do you bake on weekends?",
        "Which language do you write services in?",
        "Where do you like to hike?",
        "What do you use to store tables?",
        "Which editor do you use?",
    ];

    private static readonly string[] Knowledge =
    [
        "My favourite tool for tracing LLM applications is Langfuse.",
        "I bake sourdough bread every weekend.",
        "I write services in C# on .NET.",
        "I like to hike in the Alps.",
        "I store tables in Azure Table Storage.",
        "My editor is Visual Studio Code.",
    ];

    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await TwinApp.StartAsync(
            ("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()),
            ("AzureFunctionsJobHost:extensions:queues:maxPollingInterval", "200"));
        _admin = _server.CreateClient(TestKeys.Admin);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_run_finishes_with_metrics_a_baseline_is_saved_and_a_worse_twin_fails_against_it()
    {
        var twinId = await CreateTwinAsync(Knowledge);
        var dataset = await SeedDatasetAsync(twinId, Questions.Length);

        var first = await RunAsync(new { dataset, twinId, name = "first" });
        Assert.Equal("finished", first.GetProperty("status").GetString());
        Assert.Equal(Questions.Length, first.GetProperty("progress").GetProperty("total").GetInt32());
        Assert.Equal(Questions.Length, first.GetProperty("progress").GetProperty("done").GetInt32());
        var relevance = first.GetProperty("metrics").GetProperty("relevance");
        Assert.Equal(Questions.Length, relevance.GetProperty("count").GetInt32());
        Assert.InRange(relevance.GetProperty("mean").GetDouble(), 0.3, 1);
        Assert.Equal("pass", first.GetProperty("verdict").GetString());
        var items = first.GetProperty("items").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Questions.Length, items.Count);
        Assert.All(items, i => Assert.Equal(32, i.GetProperty("traceId").GetString()!.Length));

        // The runs' chats are ledger rows in environment regression: found by search, left out of users' metrics.
        var range = $"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))}";
        var search = await JsonAsync(await _admin.GetAsync($"/api/metrics/traces/search?{range}&twinId={twinId}&environment=regression&limit=50"));
        Assert.Equal(Questions.Length, search.GetProperty("data").GetArrayLength());
        var latency = await JsonAsync(await _admin.GetAsync($"/api/metrics/latency?{range}&twinId={twinId}"));
        Assert.Equal(0, latency.GetProperty("latency").GetProperty("count").GetInt64());

        var saved = await _admin.PostAsJsonAsync("/api/manage/regression/baseline", new { name = "main-" + twinId, testId = first.GetProperty("id").GetString() });
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        var versions = await JsonAsync(await _admin.GetAsync($"/api/manage/regression/baselines/main-{twinId}"));
        Assert.Equal(first.GetProperty("id").GetString(), versions.GetProperty("versions")[0].GetProperty("testId").GetString());

        // The same twin against the baseline: nothing changed, so it passes.
        var same = await RunAsync(new { dataset, twinId, baseline = "main-" + twinId });
        Assert.Equal("pass", same.GetProperty("verdict").GetString());

        // The twin forgets what the dataset asks about: its replies go off topic, every item drops.
        var forgetful = (await _admin.GetFromJsonAsync<JsonObject>($"/api/manage/twins/{twinId}"))!;
        forgetful["knowledge"] = new JsonArray("I collect stamps from Iceland.");
        (await _admin.PutAsJsonAsync($"/api/manage/twins/{twinId}", forgetful)).EnsureSuccessStatusCode();
        var worse = await RunAsync(new { dataset, twinId, baseline = "main-" + twinId });
        Assert.Equal("fail", worse.GetProperty("verdict").GetString());
        var comparison = worse.GetProperty("comparison");
        var relevanceDrop = comparison.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "relevance");
        Assert.Equal("fail", relevanceDrop.GetProperty("outcome").GetString());
        Assert.True(relevanceDrop.GetProperty("pValue").GetDouble() < 0.05);
        Assert.Equal(Questions.Length, relevanceDrop.GetProperty("pairs").GetInt32());
        Assert.NotEmpty(comparison.GetProperty("regressions").EnumerateArray());
    }

    [Fact]
    public async Task The_twin_regress_gate_passes_a_good_run_and_fails_a_worse_one_against_the_local_host()
    {
        var twinId = await CreateTwinAsync(Knowledge);
        var dataset = await SeedDatasetAsync(twinId, Questions.Length);
        var baseline = "gate-" + twinId;
        var junit = Path.Combine(Path.GetTempPath(), $"twin-regress-{Guid.NewGuid():N}.xml");
        string[] Args(params string[] more) =>
            ["--url", _server.BaseAddress.ToString().TrimEnd('/'), "--key", TestKeys.Admin, "--dataset", dataset, "--twin", twinId, "--poll", "0.2", "--timeout", "1.5", .. more];

        var (passed, passOutput) = await RegressAsync(Args("--save-baseline", baseline));
        Assert.True(passed == 0, passOutput);
        Assert.Single((await JsonAsync(await _admin.GetAsync($"/api/manage/regression/baselines/{baseline}"))).GetProperty("versions").EnumerateArray());

        var forgetful = (await _admin.GetFromJsonAsync<JsonObject>($"/api/manage/twins/{twinId}"))!;
        forgetful["knowledge"] = new JsonArray("I collect stamps from Iceland.");
        (await _admin.PutAsJsonAsync($"/api/manage/twins/{twinId}", forgetful)).EnsureSuccessStatusCode();
        try
        {
            var (failed, failOutput) = await RegressAsync(Args("--baseline", baseline, "--junit", junit));
            Assert.True(failed == 1, failOutput);
            Assert.DoesNotContain(TestKeys.Admin, failOutput, StringComparison.Ordinal);
            var suite = System.Xml.Linq.XDocument.Load(junit).Descendants("testsuite").Single();
            Assert.NotEmpty(suite.Descendants("failure"));
        }
        finally
        {
            File.Delete(junit);
        }

        var (unknown, unknownOutput) = await RegressAsync(["--url", _server.BaseAddress.ToString().TrimEnd('/'), "--key", TestKeys.Admin, "--dataset", "no-such-dataset", "--twin", twinId]);
        Assert.True(unknown == 2, unknownOutput);
    }

    private static async Task<(int Exit, string Output)> RegressAsync(string[] args)
    {
        using var output = new StringWriter();
        var exit = await Twin.Regress.Program.RunAsync(args, output, output, environment: _ => null);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task Redelivered_messages_count_nothing_twice()
    {
        var twinId = await CreateTwinAsync(Knowledge);
        var dataset = await SeedDatasetAsync(twinId, 3);
        var run = await RunAsync(new { dataset, twinId });
        var id = run.GetProperty("id").GetString()!;

        var dispatcher = _server.Services.GetRequiredService<RegressionDispatcher>();
        await dispatcher.EnqueueAsync(new RegressionMessage { Kind = RegressionMessage.Plan, RunId = id }, default);
        var store = _server.Services.GetRequiredService<RegressionStore>();
        // Hidden messages count too, and a message is deleted only after its function returned: at zero every
        // redelivery (and what it queued) has been handled.
        await Eventually.TrueAsync(async () => (await QueueLengthAsync()) == 0, TimeSpan.FromSeconds(30), "the redelivered messages handled");

        var after = (await store.FindRunAsync(id, default))!;
        Assert.Equal((3, 3, 0), (after.Total!.Value, after.Done, after.Failed));
        Assert.Equal(3, (await store.AllResultsAsync(id, default)).Count);

        // A count lost between an item's result and its counter (a host that died there) is recounted from the results.
        await store.UpdateRunAsync(id, r => r with { Done = r.Done - 1, Status = RegressionRun.Running, FinishedAt = null }, default);
        var healed = await JsonAsync(await _admin.GetAsync($"/api/manage/regression/test/{id}"));
        Assert.Equal("finished", healed.GetProperty("status").GetString());
        Assert.Equal(3, healed.GetProperty("progress").GetProperty("done").GetInt32());
        Assert.Equal(RegressionRun.Finished, (await store.FindRunAsync(id, default))!.Status);
    }

    [Fact]
    public async Task Unknown_datasets_and_twins_are_404_and_an_empty_dataset_is_inconclusive()
    {
        var twinId = await CreateTwinAsync(Knowledge);
        await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/regression/test", new { dataset = "no-such-dataset", twinId }), HttpStatusCode.NotFound);
        var dataset = await SeedDatasetAsync(twinId, 0);
        await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/regression/test", new { dataset, twinId = "no-such-twin" }), HttpStatusCode.NotFound);
        var invalid = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/regression/test", new { maxItems = 0 }), HttpStatusCode.BadRequest);
        Assert.Superset(new HashSet<string> { "dataset", "twinId", "maxItems" }, ProblemAssert.ErrorFields(invalid).ToHashSet());
        await ProblemAssert.IsProblemAsync(await _admin.GetAsync("/api/manage/regression/test/nope"), HttpStatusCode.NotFound);

        var empty = await RunAsync(new { dataset, twinId });
        Assert.Equal("finished", empty.GetProperty("status").GetString());
        Assert.Equal(0, empty.GetProperty("progress").GetProperty("total").GetInt32());
        Assert.Equal("inconclusive", empty.GetProperty("verdict").GetString());

        var datasets = await JsonAsync(await _admin.GetAsync("/api/manage/regression/datasets"));
        Assert.Contains(datasets.GetProperty("data").EnumerateArray(), d => d.GetProperty("name").GetString() == dataset && d.GetProperty("itemCount").GetInt32() == 0);
    }

    private Task<JsonElement> RunAsync(object request) => RegressionRuns.RunAsync(_admin, request);

    private async Task<string> CreateTwinAsync(string[] knowledge)
    {
        var twinId = "rg-" + Guid.NewGuid().ToString("N")[..10];
        (await _admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name = "Rega", persona = "You are Rega, an engineer.", knowledge })).EnsureSuccessStatusCode();
        return twinId;
    }

    private async Task<string> SeedDatasetAsync(string twinId, int items)
    {
        var store = _server.Services.GetRequiredService<IDatasetStore>();
        var name = "golden-" + twinId;
        await store.EnsureDatasetAsync(name, "regression test set", default);
        for (var i = 0; i < items; i++)
        {
            await store.UpsertItemAsync(new DatasetItem($"item{i:D2}", name, new JsonObject { ["message"] = Questions[i], ["twinId"] = twinId }, new JsonObject { ["reply"] = Knowledge[i] }, [], null), default);
        }

        return name;
    }

    private async Task<int> QueueLengthAsync()
    {
        var queue = _server.Services.GetRequiredService<Azure.Storage.Queues.QueueServiceClient>().GetQueueClient("regression-runs");
        return (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
