using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Twin.Functions.Tests.Evaluation;
using Twin.Observability.Datasets;
using Twin.Observability.Datasets.Export;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.Datasets;

/// <summary>
/// Dataset export end to end over the local host, offline, on an Azurite account of its own: chats judged into the
/// twin's dataset → export → download through the returned link; a big export answers 202 and completes through
/// the <c>exports</c> queue, and its redelivered message writes nothing twice; bad input is problem+json.
/// </summary>
[Collection(EvaluationCollection.Name)]
public sealed class DatasetExportApiTests : IAsyncLifetime
{
    private static readonly HttpClient Download = new() { Timeout = TimeSpan.FromSeconds(30) };
    private LocalHostServer _server = null!;
    private HttpClient _admin = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        _server = await TwinApp.StartAsync(EvaluationApp.Settings(("Exports:SyncMaxItems", "5"), ("Exports:ProgressEvery", "2")));
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
    public async Task Chats_judged_into_the_dataset_are_exported_and_downloaded_through_the_link()
    {
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, ["My favourite tool for tracing LLM applications is Langfuse.", "I bake sourdough bread every weekend."]);
        var (traceId, reply, _) = await EvaluationApp.ChatAsync(_user, twinId, "Which tool do you like for tracing LLM applications?");
        await EvaluationApp.ChatAsync(_user, twinId, "What bread do you bake at the weekend?");
        var dataset = "twin-" + twinId;
        await Eventually.TrueAsync(async () => await CountAsync(dataset) == 2, EvaluationApp.Wait, "both chats collected into the dataset");

        var exported = await JsonAsync(await _admin.PostAsJsonAsync($"/api/manage/datasets/{dataset}/export", new { format = "azure-openai-chat-jsonl" }), HttpStatusCode.OK);

        Assert.Equal("succeeded", exported.GetProperty("status").GetString());
        var file = exported.GetProperty("result").GetProperty("files")[0];
        Assert.Equal(2, file.GetProperty("items").GetInt32());
        var bytes = await Download.GetByteArrayAsync(file.GetProperty("url").GetString());
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var chat = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("messages")).Single(m => m[1].GetProperty("content").GetString()!.Contains("tracing", StringComparison.Ordinal));
        Assert.Equal(["system", "user", "assistant"], chat.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Contains("Langfuse", chat[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(reply, chat[2].GetProperty("content").GetString());
        Assert.Equal(1, chat[2].GetProperty("weight").GetInt32());

        var csv = await JsonAsync(await _admin.PostAsJsonAsync($"/api/manage/datasets/{dataset}/export", new { format = "csv" }), HttpStatusCode.OK);
        var table = await Download.GetStringAsync(csv.GetProperty("result").GetProperty("files")[0].GetProperty("url").GetString());
        Assert.Contains(traceId, table, StringComparison.Ordinal);

        var stats = await JsonAsync(await _admin.GetAsync($"/api/manage/datasets/{dataset}/stats"), HttpStatusCode.OK);
        Assert.Equal(2, stats.GetProperty("items").GetInt32());
        Assert.Equal(2, stats.GetProperty("scores").GetProperty("relevance").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_big_export_answers_202_completes_through_the_queue_and_a_redelivered_message_writes_nothing()
    {
        var dataset = "big-" + Guid.NewGuid().ToString("N")[..8];
        var store = _server.Services.GetRequiredService<IDatasetStore>();
        await store.EnsureDatasetAsync(dataset, "export test", default);
        for (var i = 0; i < 9; i++)
        {
            await store.UpsertItemAsync(new DatasetItem($"i{i}", dataset, new JsonObject { ["message"] = $"Question {i}?" }, new JsonObject { ["reply"] = $"Answer {i}." }, [], null), default);
        }

        var started = await _admin.PostAsJsonAsync($"/api/manage/datasets/{dataset}/export", new { format = "bedrock-converse-jsonl", validationSplit = 0.3, seed = 3 });
        var accepted = await JsonAsync(started, HttpStatusCode.Accepted);
        var statusUrl = accepted.GetProperty("statusUrl").GetString()!;
        Assert.Equal(statusUrl, started.Headers.Location?.OriginalString);
        JsonElement status = default;
        await Eventually.TrueAsync(
            async () => (status = await JsonAsync(await _admin.GetAsync(statusUrl), HttpStatusCode.OK)).GetProperty("status").GetString() is "succeeded" or "failed",
            EvaluationApp.Wait,
            "the queued export to end");

        Assert.Equal("succeeded", status.GetProperty("status").GetString());
        Assert.Equal(9, status.GetProperty("processed").GetInt32());
        var files = status.GetProperty("result").GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(9, files.Sum(f => f.GetProperty("items").GetInt32()));
        var texts = await Task.WhenAll(files.Select(f => Download.GetStringAsync(f.GetProperty("url").GetString())));
        Assert.All(texts.SelectMany(t => t.Split('\n', StringSplitOptions.RemoveEmptyEntries)), l => Assert.Equal("bedrock-conversation-2024", JsonDocument.Parse(l).RootElement.GetProperty("schemaVersion").GetString()));

        var container = _server.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient("exports");
        var before = (await container.GetBlobClient(files[0].GetProperty("path").GetString()!["exports/".Length..]).GetPropertiesAsync()).Value.ETag;
        var id = accepted.GetProperty("id").GetString()!;
        await _server.Services.GetRequiredService<ExportDispatcher>().EnqueueAsync(new ExportQueueMessage { ExportId = id }, default);
        var queue = EvaluationApp.Queue(_server, "exports");
        // The count includes hidden messages, and the host deletes a message only after its function returned: at
        // zero the redelivery has been handled, so there is nothing left to wait for.
        await Eventually.TrueAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, EvaluationApp.Wait, "the redelivered message handled");
        var after = (await container.GetBlobClient(files[0].GetProperty("path").GetString()!["exports/".Length..]).GetPropertiesAsync()).Value.ETag;
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Bad_input_is_problem_json_and_the_routes_refuse_anonymous_callers()
    {
        var store = _server.Services.GetRequiredService<IDatasetStore>();
        await store.EnsureDatasetAsync("known", "export test", default);

        var invalid = await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/datasets/known/export", new { format = "parquet", validationSplit = 0.9 }), HttpStatusCode.BadRequest);
        Assert.Superset(new HashSet<string> { "format", "validationSplit" }, ProblemAssert.ErrorFields(invalid).ToHashSet());
        await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/datasets/nope/export", new { format = "csv" }), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await _admin.PostAsJsonAsync("/api/manage/datasets/a%5Cb/export", new { format = "csv" }), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(await _admin.GetAsync("/api/manage/datasets/nope/stats"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await _admin.GetAsync("/api/manage/datasets/exports/nope"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await _admin.PostAsync("/api/manage/datasets/known/export", new StringContent("not json", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);

        var formats = await JsonAsync(await _admin.GetAsync("/api/manage/datasets/export/formats"), HttpStatusCode.OK);
        var names = formats.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(["openai-chat-jsonl", "azure-openai-chat-jsonl", "openai-dpo-jsonl", "sharegpt-jsonl", "alpaca-json", "trl-prompt-completion-jsonl", "bedrock-converse-jsonl", "csv"], names);
        Assert.All(formats.GetProperty("data").EnumerateArray(), f => Assert.False(string.IsNullOrEmpty(f.GetProperty("sample").GetString())));

        using var anonymous = _server.CreateClient(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/manage/datasets/export/formats")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/manage/datasets/known/export", new { format = "csv" })).StatusCode);
    }

    private Task<int> CountAsync(string dataset) => _server.Services.GetRequiredService<IDatasetStore>().CountItemsAsync(dataset, default);

    private static Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected) => ApiResponses.JsonAsync(response, expected);
}
