using BenchmarkDotNet.Attributes;
using Twin.Observability.Datasets.Export;
using Twin.Observability.Datasets.Export.Formats;

namespace Twin.Benchmarks.Export;

/// <summary>
/// Serialising 10,000 examples of ~1 KB in each export format into a discarding stream, checks included: the CPU side
/// of an export, without storage. Items per second = 10,000 / mean (goal ≥ 50,000 items/s).
/// </summary>
[MemoryDiagnoser]
public class ExportFormatBenchmarks
{
    public const int Examples = 10_000;

    private ExportExample[] _examples = null!;

    [ParamsSource(nameof(Formats))]
    public string Format { get; set; } = "";

    public static IEnumerable<string> Formats => ExportFormats.All.Select(f => f.Name);

    [GlobalSetup]
    public void Setup() => _examples = [.. Enumerable.Range(0, Examples).Select(ExportSamples.Example)];

    [Benchmark]
    public async Task<long> Write()
    {
        var format = ExportFormats.Find(Format)!;
        await using var sink = new DiscardingStream();
        var writer = format.CreateWriter(sink);
        foreach (var example in _examples)
        {
            if (format.Check(example) is null)
            {
                await writer.WriteAsync(example, CancellationToken.None);
            }
        }

        await writer.CompleteAsync(CancellationToken.None);
        return sink.Length;
    }
}
