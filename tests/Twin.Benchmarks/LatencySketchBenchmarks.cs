using BenchmarkDotNet.Attributes;
using Twin.Observability.Metrics;

namespace Twin.Benchmarks;

/// <summary>
/// The operations of a latency rollup with <see cref="LatencySketch"/>: recording a minute's latencies, merging 60
/// minute sketches into an hour, (de)serialising the hour for its Azure Table row, and reading a percentile.
/// Latencies are log-normal around 400 ms, clamped to 50 ms–30 s, about 170 a minute (10,000 an hour).
/// <c>AddToExistingBuckets</c> adds to a sketch that already holds every bucket: the steady state, which should
/// not allocate; <c>AddToNewSketch</c> includes growing the bucket array.
/// </summary>
[MemoryDiagnoser]
public class LatencySketchBenchmarks
{
    private const int MinuteCount = 60;
    private const int LatenciesPerHour = 10_000;

    private double[] _values = null!;
    private LatencySketch _warm = null!;
    private LatencySketch[] _minutes = null!;
    private LatencySketch _hour = null!;
    private byte[] _hourBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _values = Enumerable.Range(0, 1_000).Select(_ => Latency(random)).ToArray();
        _warm = new LatencySketch();
        foreach (var value in _values)
        {
            _warm.Add(value);
        }

        _minutes = Enumerable.Range(0, MinuteCount).Select(_ => new LatencySketch()).ToArray();
        for (var i = 0; i < LatenciesPerHour; i++)
        {
            _minutes[i % MinuteCount].Add(Latency(random));
        }

        _hour = LatencySketch.Merge(_minutes);
        _hourBytes = _hour.ToBytes();
    }

    [Benchmark]
    public LatencySketch AddToNewSketch()
    {
        var sketch = new LatencySketch();
        foreach (var value in _values)
        {
            sketch.Add(value);
        }

        return sketch;
    }

    [Benchmark]
    public LatencySketch AddToExistingBuckets()
    {
        foreach (var value in _values)
        {
            _warm.Add(value);
        }

        return _warm;
    }

    [Benchmark]
    public LatencySketch MergeSixtyMinutes() => LatencySketch.Merge(_minutes);

    [Benchmark]
    public byte[] ToBytes() => _hour.ToBytes();

    [Benchmark]
    public LatencySketch FromBytes() => LatencySketch.FromBytes(_hourBytes);

    [Benchmark]
    public double QuantileP99() => _hour.Quantile(0.99);

    private static double Latency(Random random)
    {
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Math.Clamp(Math.Exp(Math.Log(400) + normal), 50, 30_000);
    }
}
