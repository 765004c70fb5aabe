using System.Net;
using System.Text.Json;
using Twin.Testing.Fakes.Langfuse;
using Xunit;

namespace Twin.Observability.Tests.Fakes;

/// <summary>The fake's datasets and dataset items on the wire: upserts, 404 and 409, merging, lists.</summary>
public sealed class FakeLangfuseDatasetTests
{
    [Fact]
    public async Task A_dataset_is_upserted_by_name_and_keeps_what_an_update_leaves_out()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var created = await http.PostJsonAsync(langfuse, FakeLangfuse.DatasetsPath, """{"name":"regressions","description":"v1","metadata":{"owner":"qa"}}""");
        using var updated = await http.PostJsonAsync(langfuse, FakeLangfuse.DatasetsPath, """{"name":"regressions","description":"v2"}""");

        var first = await created.JsonAsync();
        var second = await updated.JsonAsync();
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal("v2", second.GetProperty("description").GetString());
        Assert.Equal("qa", second.GetProperty("metadata").GetProperty("owner").GetString());
        Assert.Equal(FakeLangfuse.ProjectId, second.GetProperty("projectId").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("inputSchema").ValueKind);
        var dataset = Assert.Single(langfuse.Datasets);
        Assert.Equal(("regressions", "v2"), (dataset.Name, dataset.Description));

        using var fetched = await http.GetAsync(langfuse, "/api/public/v2/datasets/regressions");
        Assert.Equal(dataset.Id, (await fetched.JsonAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Datasets_are_listed_newest_first_by_page_and_an_unknown_one_is_404()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.AddDataset("first");
        langfuse.AddDataset("folder/second", "described");
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var page = await http.GetAsync(langfuse, "/api/public/v2/datasets?page=1&limit=1");
        using var encoded = await http.GetAsync(langfuse, "/api/public/v2/datasets/" + Uri.EscapeDataString("folder/second"));
        using var missing = await http.GetAsync(langfuse, "/api/public/v2/datasets/nope");

        var list = await page.JsonAsync();
        Assert.Equal("folder/second", Assert.Single(list.GetProperty("data").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(2, list.GetProperty("meta").GetProperty("totalPages").GetInt32());
        Assert.Equal("described", (await encoded.JsonAsync()).GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("nope", (await missing.JsonAsync()).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_item_for_a_dataset_that_does_not_exist_is_404()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var response = await http.PostJsonAsync(langfuse, FakeLangfuse.DatasetItemsPath, """{"datasetName":"regressions","input":{"q":"hi"}}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("LangfuseNotFoundError", (await response.JsonAsync()).GetProperty("error").GetString());
        Assert.Empty(langfuse.DatasetItems);
        Assert.Equal(1, langfuse.DatasetItemPostCount);
        Assert.Empty(langfuse.SchemaViolations);
    }

    [Fact]
    public async Task An_item_id_used_in_another_dataset_is_409_and_leaves_the_item_alone()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.AddDataset("a");
        langfuse.AddDataset("b");
        using var http = LangfuseRestClient.Authorized(langfuse);
        using (var created = await http.PostJsonAsync(langfuse, FakeLangfuse.DatasetItemsPath, """{"datasetName":"a","id":"item-1","input":"x"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        using var conflict = await http.PostJsonAsync(langfuse, FakeLangfuse.DatasetItemsPath, """{"datasetName":"b","id":"item-1","input":"y"}""");

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("LangfuseConflictError", (await conflict.JsonAsync()).GetProperty("error").GetString());
        var item = Assert.Single(langfuse.DatasetItems);
        Assert.Equal(("a", "x"), (item.DatasetName, item.Input?.GetString()));
        Assert.Equal(2, langfuse.DatasetItemPostCount);
    }

    [Fact]
    public async Task An_item_update_keeps_the_fields_it_leaves_out()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        var dataset = langfuse.AddDataset("regressions");
        using var http = LangfuseRestClient.Authorized(langfuse);
        using var created = await http.PostJsonAsync(langfuse, FakeLangfuse.DatasetItemsPath,
            """{"datasetName":"regressions","id":"item-1","input":{"q":"hi"},"expectedOutput":"hello","metadata":{"tag":"greeting"},"sourceTraceId":"trace-1"}""");

        using var updated = await http.PostJsonAsync(langfuse, FakeLangfuse.DatasetItemsPath, """{"datasetName":"regressions","id":"item-1","expectedOutput":"hello there","status":"ARCHIVED"}""");

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var answer = await updated.JsonAsync();
        Assert.Equal("hi", answer.GetProperty("input").GetProperty("q").GetString());
        Assert.Equal("hello there", answer.GetProperty("expectedOutput").GetString());
        Assert.Equal("greeting", answer.GetProperty("metadata").GetProperty("tag").GetString());
        Assert.Equal(("trace-1", "ARCHIVED", dataset.Id), (answer.GetProperty("sourceTraceId").GetString(), answer.GetProperty("status").GetString(), answer.GetProperty("datasetId").GetString()));
        Assert.Equal((await created.JsonAsync()).GetProperty("createdAt").GetString(), answer.GetProperty("createdAt").GetString());
        var item = Assert.Single(langfuse.DatasetItems);
        Assert.Equal(("hello there", "ARCHIVED"), (item.ExpectedOutput?.GetString(), item.Status));
    }

    [Fact]
    public async Task Items_are_listed_by_dataset_and_source_trace_and_read_by_id()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.AddDataset("a");
        langfuse.AddDataset("b");
        var first = langfuse.AddDatasetItem("a", new { q = 1 }, sourceTraceId: "trace-1");
        langfuse.AddDatasetItem("a", new { q = 2 });
        langfuse.AddDatasetItem("b", new { q = 3 }, sourceTraceId: "trace-1");
        using var http = LangfuseRestClient.Authorized(langfuse);

        var ofA = await (await http.GetAsync(langfuse, "/api/public/dataset-items?datasetName=a")).JsonAsync();
        var ofTrace = await (await http.GetAsync(langfuse, "/api/public/dataset-items?datasetName=a&sourceTraceId=trace-1")).JsonAsync();
        var byId = await (await http.GetAsync(langfuse, "/api/public/dataset-items/" + first.Id)).JsonAsync();
        using var unknownDataset = await http.GetAsync(langfuse, "/api/public/dataset-items?datasetName=zzz");
        using var unknownItem = await http.GetAsync(langfuse, "/api/public/dataset-items/zzz");

        Assert.Equal([2, 1], ofA.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("input").GetProperty("q").GetInt32()));
        Assert.Equal(2, ofA.GetProperty("meta").GetProperty("totalItems").GetInt32());
        Assert.Equal(first.Id, Assert.Single(ofTrace.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(("a", "ACTIVE", 0), (byId.GetProperty("datasetName").GetString(), byId.GetProperty("status").GetString(), byId.GetProperty("mediaReferences").GetArrayLength()));
        Assert.Equal(HttpStatusCode.NotFound, unknownDataset.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownItem.StatusCode);
    }

    [Theory]
    [InlineData(FakeLangfuse.DatasetsPath, """{"description":"no name"}""")]
    [InlineData(FakeLangfuse.DatasetsPath, """{"name":["a"]}""")]
    [InlineData(FakeLangfuse.DatasetItemsPath, """{"input":"no dataset"}""")]
    [InlineData(FakeLangfuse.DatasetItemsPath, """{"datasetName":"a","status":"DELETED"}""")]
    [InlineData(FakeLangfuse.DatasetItemsPath, """{"datasetName":"a","sourceTraceId":42}""")]
    public async Task A_dataset_or_item_body_that_breaks_the_spec_is_400_and_a_violation(string path, string body)
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.AddDataset("a");
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var response = await http.PostJsonAsync(langfuse, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(path, Assert.Single(langfuse.TakeSchemaViolations()).Path);
        Assert.Empty(langfuse.DatasetItems);
        Assert.Equal(["a"], langfuse.Datasets.Select(d => d.Name));
    }
}
