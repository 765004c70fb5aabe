using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Twin.Observability;
using Twin.Observability.Datasets;
using Twin.Observability.Datasets.Export;
using Twin.Observability.Twins;
using Twin.Testing;

namespace Twin.Benchmarks.Export;

/// <summary>
/// Dataset export from the Table store to Blob Storage
/// (<c>dotnet run -c Release --project tests/Twin.Benchmarks -- export --items 10000,100000</c>): a private in-memory
/// Azurite, the app's real services, a dataset of ~1 KB items grown to each size in turn. For each size, two exports
/// of openai-chat-jsonl with a 10 % validation split: into a discarding target (what reading the Table store and
/// serialising cost) and into Blob Storage (the whole export); each with the peak of the managed heap sampled every
/// 20 ms, which must stay flat as the item count grows.
/// </summary>
internal static class ExportMeasurement
{
    private const string Dataset = "bench-export";

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = args.SkipWhile(a => a != "--items").Skip(1).FirstOrDefault("10000,100000")
            .Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Order().ToList();
        await using var azurite = await AzuriteProcess.StartAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([
                new("AzureWebJobsStorage", azurite.ConnectionString()),
                new("Logging:LogLevel:Default", "Warning"),
                // The fill keeps Azurite busy; the app's fail-fast storage timeout (3 s) is for requests, not for this.
                new("Storage:NetworkTimeoutMilliseconds", "60000"),
            ])
            .Build();
        await using var services = new ServiceCollection().AddLogging().AddSingleton<IHostEnvironment>(new BenchmarkEnvironment()).AddTwinObservability(configuration).BuildServiceProvider();
        await services.GetRequiredService<TwinService>().CreateAsync(new TwinDefinition { Id = "ada", Name = "Ada", Persona = "You are Ada, an engineer who bakes." }, default);
        var store = (TableDatasetStore)services.GetRequiredService<IDatasetStore>();
        await store.EnsureDatasetAsync(Dataset, "benchmark", default);
        var exporter = services.GetRequiredService<DatasetExporter>();
        var blobs = services.GetRequiredService<BlobExportTarget>();
        Console.WriteLine($"dataset export (Azurite in memory on {azurite.Ports}; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        var filled = 0;
        foreach (var size in sizes)
        {
            var fill = Stopwatch.StartNew();
            // Transactions of 100 items, 4 in flight: the fill is set-up, not what is measured.
            await Parallel.ForEachAsync(Enumerable.Range(filled, size - filled).Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, ct) =>
                await store.UpsertItemsAsync(chunk.Select(Item), ct));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  filled {size - filled:N0} items in {fill.Elapsed.TotalSeconds:0.0} s"));
            filled = size;
            var plan = new ExportPlan { Dataset = Dataset, Format = "openai-chat-jsonl", ValidationSplit = 0.1, Seed = 1, MaxItems = size };
            await MeasureAsync($"{size:N0} items, Table store → discarding target", () => exporter.ExportAsync(plan, "bench/discard", new DiscardingTarget(), null, default));
            await MeasureAsync($"{size:N0} items, Table store → Blob Storage      ", () => exporter.ExportAsync(plan, $"bench/{size}", blobs, null, default));
        }

        return 0;
    }

    private static async Task MeasureAsync(string label, Func<Task<ExportResult>> export)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: false);
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(20).ConfigureAwait(false);
            }
        });
        var watch = Stopwatch.StartNew();
        var result = await export();
        watch.Stop();
        await sampling.CancelAsync();
        await sampler;
        var bytes = result.Files.Sum(f => f.Bytes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label}: {result.Written:N0} written in {watch.Elapsed.TotalSeconds:0.00} s = {result.Written / watch.Elapsed.TotalSeconds:N0} items/s, {bytes / 1048576.0:0.0} MB, managed heap peak {peak / 1048576.0:0.0} MB ({(peak - baseline) / 1048576.0:0.0} MB above the start)"));
    }

    private static DatasetItem Item(int i) => new(
        $"item{i:D7}",
        Dataset,
        new JsonObject { ["message"] = ExportSamples.Question(i), ["twinId"] = "ada", ["knowledge"] = new JsonArray("My favourite tool for tracing LLM applications is Langfuse.") },
        new JsonObject { ["reply"] = ExportSamples.Reply(i) },
        new JsonObject { ["scores"] = new JsonObject { ["relevance"] = 0.9, ["groundedness"] = 0.8, ["persona_consistency"] = 1.0 }, ["model"] = "gpt-4.1-mini" },
        "0af7651916cd43dd8448eb211c80319c",
        $"{i:x16}");

    private sealed class DiscardingTarget : IExportFileTarget
    {
        public Task<Stream> OpenAsync(string path, string contentType, CancellationToken cancellationToken) => Task.FromResult<Stream>(new DiscardingStream());

        public Task DeleteAsync(string path, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
