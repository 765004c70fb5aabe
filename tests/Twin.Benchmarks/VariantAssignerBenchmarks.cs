using BenchmarkDotNet.Attributes;
using Twin.Observability.Experiments;

namespace Twin.Benchmarks;

/// <summary>
/// Assigning a unit to an A/B variant, as every chat of a twin with a running test does: XxHash64 of test id and unit
/// id onto three cumulative weights. Goal ≥ 5 M assignments/s per core (≤ 200 ns each) and 0 bytes allocated.
/// </summary>
[MemoryDiagnoser]
public class VariantAssignerBenchmarks
{
    private readonly double[] _weights = VariantAssigner.CumulativeWeights([50, 30, 20]);
    private readonly string _testId = Guid.NewGuid().ToString("N");
    private string[] _units = null!;
    private int _next;

    [GlobalSetup]
    public void Setup() => _units = [.. Enumerable.Range(0, 1024).Select(i => $"user-{i:D6}@example.com")];

    [Benchmark]
    public int Assign() => VariantAssigner.Assign(_testId, _units[_next++ & 1023], _weights);
}
