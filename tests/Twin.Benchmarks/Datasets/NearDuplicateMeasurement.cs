using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Twin.Observability.Datasets;
using Twin.Observability.Storage;
using Twin.Testing;

namespace Twin.Benchmarks.Datasets;

/// <summary>
/// The near-duplicate check against datasets of growing size
/// (<c>dotnet run -c Release --project tests/Twin.Benchmarks -- near-duplicates --fingerprints 1000,10000,100000</c>):
/// a private in-memory Azurite holding the bucket rows of N collected inputs (12 words drawn from 20,000, as 32 rows
/// each), then, for each size, checks that find a near duplicate (a rewording of a collected input: reads only) and
/// checks of new inputs (reads, then the claim's inserts), counting the storage requests each made and timing them.
/// Reads and time should not grow with N.
/// </summary>
internal static class NearDuplicateMeasurement
{
    private const string Dataset = "bench-near-duplicates";
    private const int Checks = 200;

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = args.SkipWhile(a => a != "--fingerprints").Skip(1).FirstOrDefault("1000,10000,100000")
            .Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Order().ToList();
        await using var azurite = await AzuriteProcess.StartAsync();
        var counter = new RequestCounter();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var tables = new TableServiceClient(azurite.ConnectionString(), options);
        foreach (var name in new[] { StorageNames.Tables.DatasetBuckets, StorageNames.Tables.DatasetFingerprints, StorageNames.Tables.DatasetItems })
        {
            await tables.GetTableClient(name).CreateIfNotExistsAsync();
        }

        var index = new NearDuplicateIndex(tables, new TableDatasetStore(tables, TimeProvider.System), TimeProvider.System, NullLogger<NearDuplicateIndex>.Instance);
        var buckets = tables.GetTableClient(StorageNames.Tables.DatasetBuckets);
        Console.WriteLine($"near-duplicate check (Azurite in memory on {azurite.Ports}; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        var filled = 0;
        var fresh = 0;
        foreach (var size in sizes)
        {
            var fill = Stopwatch.StartNew();
            // The fill is set-up, not what is measured: the bucket rows written directly, a transaction of 100 at a time
            // (Azurite refuses overlapping transactions on one partition, so one after another).
            foreach (var chunk in Enumerable.Range(filled, size - filled).SelectMany(RowsOf).Chunk(100))
            {
                await buckets.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  filled {size - filled:N0} fingerprints ({(size - filled) * MinHash.Bands:N0} bucket rows) in {fill.Elapsed.TotalSeconds:0.0} s"));
            filled = size;
            await MeasureAsync($"{size,7:N0} fingerprints, near duplicate found", counter, i => index.ClaimAsync(Dataset, $"dup-{size}-{i}", Reworded(i * (size / Checks)), 0.85, default));
            await MeasureAsync($"{size,7:N0} fingerprints, new input claimed   ", counter, i => index.ClaimAsync(Dataset, $"new-{fresh}", Input(1_000_000 + fresh++), 0.85, default));
        }

        return 0;
    }

    private static async Task MeasureAsync(string label, RequestCounter counter, Func<int, Task<string?>> check)
    {
        await check(-1 + Checks); // warm-up (the once-per-dataset look for old fingerprints happens here)
        var times = new List<double>();
        var before = counter.Read();
        var found = 0;
        for (var i = 0; i < Checks; i++)
        {
            var watch = Stopwatch.StartNew();
            found += await check(i) is null ? 0 : 1;
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        var (reads, writes) = counter.Read();
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label}: {(reads - before.Reads) / (double)Checks:0.0} reads and {(writes - before.Writes) / (double)Checks:0.0} writes per check, median {times[Checks / 2]:0.0} ms, p95 {times[Checks * 95 / 100]:0.0} ms ({found}/{Checks} found a near duplicate)"));
    }

    private static IEnumerable<TableEntity> RowsOf(int i)
    {
        var words = MinHash.WordHashesOf(Input(i));
        var member = new BucketMember($"item{i:D7}", DateTimeOffset.UtcNow, words);
        return MinHash.BandKeysOf(words).Select((key, band) => LshBucket.RowOf(Dataset, LshBucket.RowKeyOf(band, key), [member]));
    }

    // 12 words of a 20,000-word vocabulary, fixed by i: inputs of different i rarely share more than a word.
    private static string Input(int i)
    {
        var random = new Random(i);
        return string.Join(' ', Enumerable.Range(0, 12).Select(_ => Word(random.Next(20_000))));
    }

    // The same words with one more, and in another order: Jaccard 12/13 = 0.92.
    private static string Reworded(int i) => string.Join(' ', Input(i).Split(' ').Reverse()) + " " + Word(20_001);

    private static string Word(int n) => "word" + n.ToString("x", CultureInfo.InvariantCulture) + "z";

    /// <summary>Counts the Table requests that read (GET) and those that write.</summary>
    private sealed class RequestCounter : HttpPipelinePolicy
    {
        private long _reads;
        private long _writes;

        public (long Reads, long Writes) Read() => (Interlocked.Read(ref _reads), Interlocked.Read(ref _writes));

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Count(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Count(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Count(HttpMessage message) =>
            Interlocked.Increment(ref message.Request.Method == RequestMethod.Get ? ref _reads : ref _writes);
    }
}
