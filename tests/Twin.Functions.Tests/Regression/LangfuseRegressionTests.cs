using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Xunit;

namespace Twin.Functions.Tests.Regression;

/// <summary>
/// A regression run with Langfuse configured (the fake): the dataset and its items come from Langfuse, each item's
/// trace is linked to its dataset item under the run's name, and the item's root span carries Langfuse's experiment
/// attributes, the environment regression and the run's tag.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LangfuseRegressionTests : IAsyncLifetime
{
    private FakeLangfuse _langfuse = null!;
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _langfuse = await FakeLangfuse.StartAsync();
        _server = await TwinApp.StartAsync([
            .. _langfuse.AppSettings(),
            ("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()),
            ("AzureFunctionsJobHost:extensions:queues:maxPollingInterval", "200")]);
        _admin = _server.CreateClient(TestKeys.Admin);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
        await _langfuse.DisposeAsync();
    }

    [Fact]
    public async Task Each_item_is_linked_to_its_langfuse_dataset_item_under_the_run_name()
    {
        var twinId = "lr-" + Guid.NewGuid().ToString("N")[..10];
        (await _admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name = "Lara", persona = "You are Lara.", knowledge = new[] { "Lara traces LLM apps with Langfuse." } })).EnsureSuccessStatusCode();
        var dataset = "golden-" + twinId;
        _langfuse.AddDataset(dataset);
        var items = new[] { "Which tool do you use for tracing?", "What do you trace?", "Do you like Langfuse?" }
            .Select((q, i) => _langfuse.AddDatasetItem(dataset, new { message = q }, new { reply = "Langfuse." }, id: $"{twinId}-item-{i}"))
            .ToList();

        var report = await RegressionRuns.RunAsync(_admin, new { dataset, twinId, name = "langfuse-linked " + twinId });
        Assert.Equal("finished", report.GetProperty("status").GetString());

        var results = report.GetProperty("items").GetProperty("items").EnumerateArray().ToDictionary(r => r.GetProperty("itemId").GetString()!, r => r.GetProperty("traceId").GetString()!);
        Assert.Equal(items.Select(i => i.Id).Order(), results.Keys.Order());
        var linked = _langfuse.DatasetRunItems.Where(r => r.DatasetRunName == "langfuse-linked " + twinId).ToList();
        Assert.Equal(items.Count, linked.Count);
        Assert.All(linked, l => Assert.Equal(results[l.DatasetItemId], l.TraceId));

        var (itemId, traceId) = results.First();
        var spans = await _langfuse.WaitForTraceAsync(traceId, s => s.Any(x => x.Name == "regression"), TimeSpan.FromSeconds(10));
        var root = spans.Single(s => s.Name == "regression");
        Assert.Equal(itemId, root.Attribute("langfuse.experiment.item.id"));
        Assert.Equal(linked[0].DatasetRunId, root.Attribute("langfuse.experiment.id"));
        Assert.Equal("regression", root.Attribute("langfuse.environment"));
        var runId = report.GetProperty("id").GetString();
        Assert.Contains($"run:{runId}", ((IReadOnlyList<object?>)root.Attribute("langfuse.trace.tags")!).Cast<string>());
    }
}
