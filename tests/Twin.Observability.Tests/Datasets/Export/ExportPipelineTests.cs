using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Datasets.Export;
using Twin.Observability.Twins;
using Xunit;

namespace Twin.Observability.Tests.Datasets.Export;

/// <summary>
/// Exports through the real pipeline into Azurite's Blob Storage: files with the format's content type, read back
/// through their SAS links (which expire), a deterministic and disjoint split, <c>minScore</c>, items the format
/// refuses counted and never written, preference pairs from the rejected set, and an empty dataset that writes nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExportPipelineTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ExportServices _app = new();

    public Task InitializeAsync() => _app.Get<TwinService>().CreateAsync(new TwinDefinition { Id = "ada", Name = "Ada", Persona = "You are Ada, an engineer who bakes." }, default);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_export_writes_a_blob_with_the_formats_content_type_that_its_link_downloads()
    {
        await _app.SeedAsync("ds", Items(12));

        var job = await _app.Get<DatasetExportService>().StartAsync("ds", new DatasetExportRequest { Format = "openai-chat-jsonl" }, default);

        Assert.Equal(ExportJob.Succeeded, job.Status);
        var file = Assert.Single(job.Result!.Files);
        Assert.Equal("train", file.Name);
        Assert.Matches(@"^exports/ds/\d{8}T\d{9}Z/train\.jsonl$", file.Path);
        Assert.Equal(12, file.Items);
        var blob = _app.Get<BlobServiceClient>().GetBlobContainerClient("exports").GetBlobClient(file.Blob);
        Assert.Equal("application/jsonl", (await blob.GetPropertiesAsync()).Value.ContentType);
        var downloaded = await Http.GetByteArrayAsync(file.Url);
        Assert.Equal(file.Bytes, downloaded.Length);
        var lines = Encoding.UTF8.GetString(downloaded).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(12, lines.Length);
        var messages = JsonDocument.Parse(lines[0]).RootElement.GetProperty("messages");
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Contains("You are Ada, an engineer who bakes.", messages[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("Question 00 about bread?", messages[1].GetProperty("content").GetString());
        Assert.Equal("Answer 00.", messages[2].GetProperty("content").GetString());
        Assert.InRange((file.ExpiresAt!.Value - DateTimeOffset.UtcNow).TotalMinutes, 55, 61);

        var status = await _app.Get<DatasetExportService>().StatusAsync(job.Id, default);
        Assert.Equal(job.Result.Written, status.Result!.Written);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(status.Result.Files[0].Url)).StatusCode);
    }

    [Fact]
    public async Task A_link_past_its_expiry_is_refused_by_storage()
    {
        await _app.SeedAsync("ds", Items(1));
        var job = await _app.Get<DatasetExportService>().StartAsync("ds", new DatasetExportRequest { Format = "csv" }, default);
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-3));
        var links = new ExportLinks(_app.Get<BlobExportTarget>(), _app.Get<BlobServiceClient>(), past, _app.Get<IOptions<ExportOptions>>());

        var expired = Assert.Single(await links.WithLinksAsync(job.Result!.Files, default));

        Assert.True(expired.ExpiresAt < DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.GetAsync(expired.Url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(job.Result.Files[0].Url)).StatusCode);
    }

    [Fact]
    public async Task The_split_is_disjoint_deterministic_for_a_seed_and_keeps_repeated_prompts_together()
    {
        var items = Items(60).Append(("dup-a", "Question 07 about bread?", "Another answer.", 0.9)).Append(("dup-b", "question 07 ABOUT bread", "A third answer.", 0.9)).ToArray();
        await _app.SeedAsync("ds", items);
        var service = _app.Get<DatasetExportService>();
        var request = new DatasetExportRequest { Format = "trl-prompt-completion-jsonl", ValidationSplit = 0.3, Seed = 7, SystemPrompt = "omit" };

        var first = await service.StartAsync("ds", request, default);
        var second = await service.StartAsync("ds", request, default);
        var reseeded = await service.StartAsync("ds", request with { Seed = 8 }, default);

        var (train, validation) = (await PromptsAsync(first, "train"), await PromptsAsync(first, "validation"));
        Assert.Equal(62, train.Count + validation.Count);
        Assert.Empty(train.Intersect(validation));
        Assert.InRange(validation.Count, 8, 30);
        Assert.Equal(train, await PromptsAsync(second, "train"));
        Assert.Equal(validation, await PromptsAsync(second, "validation"));
        Assert.NotEqual(validation, await PromptsAsync(reseeded, "validation"));
        var sevens = train.Contains("Question 07 about bread?") ? train : validation;
        Assert.Equal(3, sevens.Count(p => p.Contains("07", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task MinScore_filters_and_items_the_format_refuses_are_counted_not_written()
    {
        await _app.SeedAsync("ds", ("low", "Low question?", "Low answer.", 0.2), ("ok", "Fine question?", "Fine answer.", 0.9), ("blank", "Blank question?", "   ", 0.9));

        var job = await _app.Get<DatasetExportService>().StartAsync("ds", new DatasetExportRequest { Format = "sharegpt-jsonl", MinScore = new() { ["relevance"] = 0.5 } }, default);

        var result = job.Result!;
        Assert.Equal(3, result.ItemsRead);
        Assert.Equal(1, result.BelowMinScore);
        Assert.Equal(1, result.Unreadable["no_reply"]);
        Assert.Equal(1, result.Written);
        var line = JsonDocument.Parse(await Http.GetStringAsync(result.Files[0].Url)).RootElement;
        Assert.Equal("Fine question?", line.GetProperty("conversations")[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task An_item_that_breaks_a_formats_rules_is_counted_by_rule_and_left_out_only_of_that_format()
    {
        await _app.SeedAsync("ds", ("ok", "Fine question?", "Fine answer.", 0.9));
        var messages = new System.Text.Json.Nodes.JsonArray(
            new System.Text.Json.Nodes.JsonObject { ["role"] = "assistant", ["content"] = "Hello, I am Ada." },
            new System.Text.Json.Nodes.JsonObject { ["role"] = "user", ["content"] = "Which tool?" });
        await _app.Get<Twin.Observability.Datasets.IDatasetStore>().UpsertItemAsync(
            new Twin.Observability.Datasets.DatasetItem("greeting-first", "ds", new System.Text.Json.Nodes.JsonObject { ["messages"] = messages }, new System.Text.Json.Nodes.JsonObject { ["reply"] = "Langfuse." }, [], null), default);
        var service = _app.Get<DatasetExportService>();

        var bedrock = (await service.StartAsync("ds", new DatasetExportRequest { Format = "bedrock-converse-jsonl" }, default)).Result!;
        var openai = (await service.StartAsync("ds", new DatasetExportRequest { Format = "openai-chat-jsonl" }, default)).Result!;

        Assert.Equal((2, 1, 1), (bedrock.ItemsRead, bedrock.Written, bedrock.Invalid["not_alternating"]));
        Assert.DoesNotContain("Which tool?", await Http.GetStringAsync(bedrock.Files[0].Url), StringComparison.Ordinal);
        Assert.Equal(2, openai.Written);
        Assert.Empty(openai.Invalid);
    }

    [Fact]
    public async Task A_file_that_fails_to_finish_is_deleted_and_the_failure_surfaces()
    {
        await _app.SeedAsync("ds", Items(3));
        var target = new FailingTarget();
        var plan = new ExportPlan { Dataset = "ds", Format = "csv", MaxItems = 10 };

        await Assert.ThrowsAsync<IOException>(() => _app.Get<DatasetExporter>().ExportAsync(plan, "ds/failing", target, null, default));

        Assert.Equal(["ds/failing/train.csv"], target.Deleted);
    }

    [Fact]
    public async Task Preference_pairs_join_passing_replies_with_rejected_ones_to_the_same_prompt()
    {
        await _app.SeedAsync("ds", ("a", "Which bread do you bake?", "Sourdough, every weekend.", 0.9), ("b", "Where do you hike?", "In the Alps.", 0.9));
        await _app.SeedAsync("ds-rejected", ("ra", "which bread do you BAKE", "I like turtles.", 0.1));

        var job = await _app.Get<DatasetExportService>().StartAsync("ds", new DatasetExportRequest { Format = "dpo-jsonl", SystemPrompt = "omit" }, default);

        Assert.Equal("openai-dpo-jsonl", job.Format);
        Assert.Equal(1, job.Result!.Written);
        Assert.Equal(1, job.Result.WithoutPair);
        var pair = JsonDocument.Parse(await Http.GetStringAsync(job.Result.Files[0].Url)).RootElement;
        Assert.Equal("Which bread do you bake?", pair.GetProperty("input").GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal("Sourdough, every weekend.", pair.GetProperty("preferred_output")[0].GetProperty("content").GetString());
        Assert.Equal("I like turtles.", pair.GetProperty("non_preferred_output")[0].GetProperty("content").GetString());

        var stats = await _app.Get<DatasetExportService>().StatsAsync("ds", default);
        Assert.Equal(1, stats.PreferencePairs);
        Assert.Equal(1, stats.RejectedItems);
    }

    [Fact]
    public async Task An_empty_dataset_exports_zero_items_and_no_blob()
    {
        await _app.SeedAsync("empty");

        var job = await _app.Get<DatasetExportService>().StartAsync("empty", new DatasetExportRequest { Format = "alpaca-json", ValidationSplit = 0.2 }, default);

        Assert.Equal(ExportJob.Succeeded, job.Status);
        Assert.Equal(0, job.Result!.Written);
        Assert.Empty(job.Result.Files);
        var container = _app.Get<BlobServiceClient>().GetBlobContainerClient("exports");
        await container.CreateIfNotExistsAsync();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "empty/", default))
        {
            Assert.Fail($"no blob expected, found {blob.Name}");
        }
    }

    [Fact]
    public async Task Stats_report_items_scores_duplicates_tokens_and_format_failures()
    {
        await _app.SeedAsync("ds", ("a", "Which bread do you bake?", "Sourdough.", 0.95), ("b", "which  bread do you BAKE?", "Rye.", 0.45), ("c", "Where do you hike?", "In the Alps.", 0.75), ("d", "Empty reply?", " ", 0.5));

        var stats = await _app.Get<DatasetExportService>().StatsAsync("ds", default);

        Assert.Equal(4, stats.Items);
        Assert.Equal(3, stats.Examples);
        Assert.Equal(1, stats.Unreadable["no_reply"]);
        Assert.Equal(new DuplicateStats(1, 1), stats.Duplicates);
        var relevance = stats.Scores["relevance"];
        Assert.Equal(3, relevance.Count);
        Assert.Equal((0.95 + 0.45 + 0.75) / 3, relevance.Mean, 6);
        Assert.Equal(1, relevance.Histogram[9]);
        Assert.Equal(1, relevance.Histogram[4]);
        var openai = stats.Formats.Single(f => f.Format == "openai-chat-jsonl");
        Assert.Equal(3, openai.Valid);
        Assert.True(openai.Tokens.System > 0 && openai.Tokens.User > 0 && openai.Tokens.Assistant > 0);
        Assert.Equal(openai.Tokens.System + openai.Tokens.User + openai.Tokens.Assistant, openai.Tokens.Total);
        Assert.Equal(8, stats.Formats.Count);
    }

    private static (string, string, string, double)[] Items(int count) =>
        [.. Enumerable.Range(0, count).Select(i => ($"item{i:D3}", $"Question {i:D2} about bread?", $"Answer {i:D2}.", 0.9))];

    private static async Task<List<string>> PromptsAsync(ExportJob job, string file)
    {
        var exported = job.Result!.Files.SingleOrDefault(f => f.Name == file);
        if (exported is null)
        {
            return [];
        }

        var text = await Http.GetStringAsync(exported.Url);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("prompt").EnumerateArray().Last().GetProperty("content").GetString()!)];
    }

    /// <summary>A target whose streams refuse every write, recording what the exporter deletes.</summary>
    private sealed class FailingTarget : IExportFileTarget
    {
        public List<string> Deleted { get; } = [];

        public Task<Stream> OpenAsync(string path, string contentType, CancellationToken cancellationToken) => Task.FromResult<Stream>(new FailingStream());

        public Task DeleteAsync(string path, CancellationToken cancellationToken)
        {
            Deleted.Add(path);
            return Task.CompletedTask;
        }
    }

    private sealed class FailingStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("disk full");

        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("disk full");

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw new IOException("disk full");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("disk full");
    }
}
